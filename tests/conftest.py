"""Shared test settings: hypothesis profiles (HYPOTHESIS_PROFILE=thorough for a long local run)."""

import os

from hypothesis import settings

settings.register_profile("default", max_examples=40, deadline=None)
settings.register_profile("thorough", max_examples=600, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

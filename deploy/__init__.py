"""Running the app outside a browser's reach: the server process, the app in Streamlit's AppTest, and a
client that drives sessions over Streamlit's own protocol.

Both the tests and the benchmarks import from here (neither imports the other: tests/test_apart.py):
- `deploy.server`: one `streamlit run app.py` process on a loopback port, returned once healthy;
- `deploy.apptest`: the app in Streamlit's AppTest, a page opened as a link opens it;
- `deploy.sessions`: browser tabs as the server sees them (websocket, BackMsg/ForwardMsg), and a
  class of them moving sliders for a while (`run_level`).
"""

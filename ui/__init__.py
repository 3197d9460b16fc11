"""What the Streamlit pages share: the view in the URL and cached loaders.

Only app.py, views/ and ui/ import Streamlit.
"""

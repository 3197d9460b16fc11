"""covermap's Streamlit app: `streamlit run app.py`.  Navigation only."""

from urllib.parse import urlparse

import streamlit as st

from geo.i18n import t
from ui.state import current_view

st.set_page_config(page_title="covermap 全覆盖作战图", layout="wide",
                   initial_sidebar_state="collapsed")
lang = current_view().lang
pages = [
    st.Page("views/overview.py", title=t("overview", lang), url_path="overview", default=True),
    st.Page("views/wall.py", title=t("wall", lang), url_path="wall"),
    st.Page("views/gaps.py", title=t("gaps", lang), url_path="gaps"),
    st.Page("views/export.py", title=t("export", lang), url_path="export"),
    st.Page("views/supervision.py", title=t("supervision", lang), url_path="supervision"),
    st.Page("views/data.py", title=t("data", lang), url_path="data"),
]
# The wall is a kiosk: no navigation bar across the top of the screen.
on_wall = urlparse(st.context.url or "").path.rstrip("/").endswith("/wall")
st.navigation(pages, position="hidden" if on_wall else "top").run()

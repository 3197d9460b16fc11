// The tooltips' table of every item, kept where the map finds it on hover. It is its
// own element so that a new item, which changes only the colours, does not send it
// again (Streamlit sends an unchanged element of this size as a reference).
export default function (component) {
  const { data } = component;
  window.__covermap = window.__covermap || {};
  window.__covermap.tips = window.__covermap.tips || {};
  window.__covermap.tips[data.key] = data.breakdown;
}

// covermap's tiled map: Leaflet + protomaps-leaflet over the store's PMTiles.
//
// The tiles hold geometry, codes and names; this page's data says how to colour
// them: `classes`, one character per position in the level's index ("-" = not in
// this view), and a palette. A new item, date or language sends a new table;
// the map stays, and only its tiles are repainted. Nothing here reruns the
// script but a click on a unit. Every name reaches the page as text
// (textContent), never as HTML.

const STATIC = "/app/static";
const SCRIPTS = [`${STATIC}/leaflet/leaflet.js`, `${STATIC}/protomaps-leaflet/protomaps-leaflet.js`];
const STYLES = [`${STATIC}/leaflet/leaflet.css`, `${STATIC}/covermap/map.css`];
const CLUSTER_SCRIPT = `${STATIC}/markercluster/leaflet.markercluster.js`;
const CLUSTER_STYLES = [`${STATIC}/markercluster/MarkerCluster.css`, `${STATIC}/markercluster/MarkerCluster.Default.css`];
const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif';

function once(key, make) {
  window.__covermap = window.__covermap || {};
  return (window.__covermap[key] = window.__covermap[key] || make());
}

function loadStyle(href) {
  once(href, () => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
    return true;
  });
}

function loadScript(src) {
  return once(src, () => new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(src));
    document.head.appendChild(script);
  }));
}

function loadAssets() {
  STYLES.forEach(loadStyle);
  // In order: the plugin extends the L that Leaflet defines.
  return SCRIPTS.reduce((previous, src) => previous.then(() => loadScript(src)), Promise.resolve());
}

// Marker clustering, fetched only by a map that clusters its sites.
function loadClusters() {
  CLUSTER_STYLES.forEach(loadStyle);
  return loadScript(CLUSTER_SCRIPT);
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let host = parentElement.querySelector(".covermap-map");
  if (!host) {
    host = document.createElement("div");
    host.className = "covermap-map";
    parentElement.appendChild(host);
  }
  host.style.height = typeof data.height === "number" ? `${data.height}px` : data.height;
  loadAssets().then(() => show(host, data, setTriggerValue));
}

function show(host, data, setTriggerValue) {
  let state = host.__covermap;
  if (!state || state.tiles !== data.tiles.url) {
    if (state) {
      state.map.remove();
      // The old map's tooltip is the host's child, not Leaflet's: it would stay on screen.
      host.querySelectorAll(".covermap-tip").forEach((tip) => tip.remove());
    }
    state = host.__covermap = newMap(host, data);
  }
  state.click = setTriggerValue;
  const drawnBefore = state.data;
  state.data = data;
  state.isDrawn = (i) => i < data.classes.length && data.classes[i] !== "-";
  state.legend.update(data.legend);
  if (data.focus && JSON.stringify(data.focus) !== JSON.stringify(state.focus)) {
    state.map.setView([data.focus[0], data.focus[1]], data.focus[2]);
  }
  state.focus = data.focus;
  state.overlays.update(data);
  if (state.view !== data.view) {
    state.view = data.view;
    fit(state.map, data.bounds);
  }
  if (drawnBefore !== undefined) {
    // Labels carry the values: lay them out anew, then paint the tiles already here.
    state.layer.clearLayout();
    repaint(host, state);
  }
}

function fit(map, bounds) {
  const [west, south, east, north] = bounds;
  map.fitBounds([[south, west], [north, east]], { padding: [12, 12] });
}

function newMap(host, data) {
  host.dataset.unitsDrawn = "";
  // A kiosk (the wall) shows no controls: nobody touches a wall.
  const map = L.map(host, {
    zoomSnap: 0.25, minZoom: 3, maxZoom: 18, preferCanvas: true,
    attributionControl: !data.kiosk, zoomControl: !data.kiosk,
  });
  if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");
  host.style.background = data.background;
  if (data.basemap) {
    L.tileLayer(data.basemap.url, {
      attribution: data.basemap.attribution, subdomains: data.basemap.subdomains,
      maxZoom: 18,
    }).addTo(map);
  }
  if (data.credit && map.attributionControl) map.attributionControl.addAttribution(data.credit);
  // Panes: the base map's tiles (200), the grey outline (300), the units (350),
  // then Leaflet's overlays (sites, 400) and tooltips.
  map.createPane("backdrop").style.zIndex = 300;
  map.createPane("units").style.zIndex = 350;
  const state = { map, tiles: data.tiles.url, painted: new Set(), labelsDrawn: new Set(), labelPx: labelPx(data.labelSize) };
  if (data.kiosk) {
    // A wall's screen may change size (another screen, a window restored): refit.
    new ResizeObserver(() => {
      map.invalidateSize(false);
      fit(map, state.data.bounds);
    }).observe(host);
  }
  const colour = (f) => state.data.palette[state.data.classes[f.props.i]];
  // A light fill with a thick outline (/gaps): canvas alpha would fade the outline too.
  const outlined = Boolean(data.paint.width) && data.paint.opacity < 1;
  const strokeColour = (z, f) => (data.paint.stroke === "class" ? colour(f) : data.paint.stroke);
  const strokeWidth = (z) => (z < data.tiles.labelZoom - 1 ? 0.25 : data.paint.width || 0.6);
  const drawn = (z, f) => {
    if (!state.isDrawn(f.props.i)) return false;
    state.painted.add(f.props.i);
    return true;
  };
  const notApplicable = (z, f) => state.isDrawn(f.props.i) && state.data.classes[f.props.i] === "a";
  // A label is the unit's short name and its value (达茂旗 86%), set as it is laid out.
  const labelled = (z, f) => {
    if (!state.isDrawn(f.props.i)) return false;
    if (state.data.labelTexts) {
      // The page's own label (the wall's: 达茂旗 3 overdue).
      f.props.label = state.data.labelTexts[f.props.i] || "";
      return f.props.label !== "";
    }
    const value = state.data.values && state.data.values[f.props.i];
    const name = state.data.lang === "en" ? f.props.en : f.props.short;
    f.props.label = value === null || value === undefined ? name : `${name} ${Math.round(value)}%`;
    return true;
  };
  const priority = (props) => {
    if (state.data.firstLabels) return (state.data.firstLabels[props.i] ? 0 : 1e6) + props.rank;
    const value = state.data.values && state.data.values[props.i];
    return (value !== null && value !== undefined && value < state.data.laggingBelow ? 0 : 1e6) + props.rank;
  };
  const labelStyle = {
    labelProps: ["label"], fontFamily: FONT, fontSize: labelPx(data.labelSize),
    fontWeight: 500, fill: "#1f1f1f", stroke: "#ffffff", width: 2.5,
  };
  state.layer = protomapsL.leafletLayer({
    url: data.tiles.url,
    maxDataZoom: data.tiles.maxZoom,
    pane: "units",
    attribution: "",
    backgroundColor: undefined,
    paintRules: [
      {
        dataLayer: "units",
        filter: (z, f) => f.geomType !== 1 && drawn(z, f),
        symbolizer: new protomapsL.PolygonSymbolizer({
          // Thin borders while units are too small to label (the province's villages).
          fill: (z, f) => colour(f), opacity: data.paint.opacity,
          stroke: strokeColour, width: (z) => (outlined ? 0 : strokeWidth(z)),
          perFeature: true,
        }),
      },
      {
        dataLayer: "units",
        filter: (z, f) => outlined && f.geomType !== 1 && state.isDrawn(f.props.i),
        symbolizer: new protomapsL.LineSymbolizer({ color: strokeColour, width: strokeWidth }),
      },
      {
        dataLayer: "units",
        filter: (z, f) => f.geomType !== 1 && notApplicable(z, f),
        symbolizer: new protomapsL.LineSymbolizer({ color: "#888888", width: 1, dash: [4, 3] }),
      },
      {
        // Units without a boundary: rings at an approximate place.
        dataLayer: "units",
        filter: (z, f) => f.geomType === 1 && drawn(z, f),
        symbolizer: new protomapsL.CircleSymbolizer({
          radius: (z) => (z < 7 ? 3 : 5), fill: (z, f) => colour(f), stroke: "#333333", width: 1.2,
        }),
      },
    ],
    labelRules: data.labels === false ? [] : [
      {
        dataLayer: "labels",
        minzoom: data.tiles.labelZoom,
        filter: (z, f) => !f.props.dot && labelled(z, f),
        // The lagging first (they are what a command post reads off the map), then
        // the larger units.
        sort: (a, b) => priority(a) - priority(b),
        symbolizer: recorded(state, new protomapsL.CenteredTextSymbolizer(labelStyle)),
      },
      {
        // A dot's label goes beside it, never over it.
        dataLayer: "labels",
        minzoom: data.tiles.labelZoom,
        filter: (z, f) => Boolean(f.props.dot) && labelled(z, f),
        sort: (a, b) => priority(a) - priority(b),
        symbolizer: recorded(state, new protomapsL.OffsetTextSymbolizer(
          { ...labelStyle, offsetX: 7, offsetY: 7 })),
      },
    ],
  });
  state.layer.on("loading", () => { host.dataset.loading = "1"; });
  state.layer.on("load", () => {
    host.dataset.loading = "";
    host.dataset.unitsDrawn = String(countDrawn(state));
  });
  state.layer.addTo(map);
  state.legend = legend(map);
  state.overlays = overlays(map);
  tooltip(host, state);
  fit(map, data.bounds);
  state.view = data.view;
  return state;
}

// A label size in pixels, or in vh ("2.5vh": a wall's labels grow with its screen).
function labelPx(size) {
  return typeof size === "number" ? size : Math.round(parseFloat(size) * window.innerHeight / 100);
}

// The labels drawn, for tests and monitoring: a label the layout rejects is never drawn.
function recorded(state, symbolizer) {
  return {
    place(layout, geom, feature) {
      const placed = symbolizer.place(layout, geom, feature);
      if (!placed) return placed;
      const label = feature.props.label;
      return placed.map((one) => ({ ...one, draw: (ctx, extra) => {
        state.labelsDrawn.add(label);
        return one.draw(ctx, extra);
      } }));
    },
  };
}

function countDrawn(state) {
  let n = 0;
  for (const i of state.painted) if (state.isDrawn(i)) n += 1;
  return n;
}

async function repaint(host, state) {
  const layer = state.layer;
  state.painted.clear();
  state.labelsDrawn.clear();
  host.dataset.unitsDrawn = "";
  const jobs = [];
  for (const key in layer._tiles) {
    const coords = layer._wrapCoords(layer._keyToTileCoords(key));
    jobs.push(layer.renderTile(coords, layer._tiles[key].el, layer._tileCoordsToKey(coords)));
  }
  await Promise.all(jobs);
  host.dataset.unitsDrawn = String(countDrawn(state));
}

function picked(state, latlng) {
  const zoom = state.layer._tileZoom;
  if (zoom === undefined) return null;
  for (const view of state.layer.views.values()) {
    for (const hit of view.queryFeatures(latlng.lng, latlng.lat, zoom, 8)) {
      if (hit.layerName === "units" && state.isDrawn(hit.feature.props.i)) return hit.feature.props;
    }
  }
  return null;
}

function tooltip(host, state) {
  const tip = L.DomUtil.create("div", "covermap-tip", host);
  tip.style.display = "none";
  let pending = null;
  // Over a dot or a stop, its own tooltip speaks: the unit's under it would cover it.
  let overSite = false;
  state.map.on("tooltipopen", () => { overSite = true; tip.style.display = "none"; });
  state.map.on("tooltipclose", () => { overSite = false; });
  state.map.on("mousemove", (e) => {
    pending = e;
    requestAnimationFrame(() => {
      if (pending !== e) return;
      const props = overSite ? null : picked(state, e.latlng);
      if (!props) { tip.style.display = "none"; host.style.cursor = ""; return; }
      host.style.cursor = state.data.clickable ? "pointer" : "";
      fillTip(tip, props, state.data);
      const point = e.containerPoint;
      tip.style.left = `${point.x + 14}px`;
      tip.style.top = `${point.y + 14}px`;
      tip.style.display = "block";
    });
  });
  state.map.on("mouseout", () => { pending = null; tip.style.display = "none"; });
  state.map.on("click", (e) => {
    const props = picked(state, e.latlng);
    if (props && state.data.clickable) state.click("clicked", props.code);
  });
}

function text(tag, content, parent, className) {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  if (parent) parent.appendChild(node);
  return node;
}

function fillTip(tip, props, data) {
  tip.replaceChildren();
  if (data.tips) {
    // A tooltip of its own per unit: lines of text, the first in bold.
    (data.tips[props.i] || "").split("\n").forEach((line, k) => text(k ? "div" : "b", line, tip));
    return;
  }
  const head = text("div", "", tip);
  text("b", data.lang === "en" ? props.en : props.name, head);
  head.appendChild(document.createTextNode(` · ${data.itemLabel} ${valueText(data, props.i, data.values)}`));
  // Every item's value travels apart from the colours (see ui/tiled_map.py).
  const breakdown = (window.__covermap.tips || {})[data.tipsKey];
  const rows = breakdown && breakdown.rows[props.i];
  if (!rows) return;
  const table = document.createElement("table");
  rows.split(",").forEach((value, k) => {
    const row = table.insertRow();
    text("td", breakdown.items[k], row);
    text("td", value === "" ? data.words.no_data : `${value}%`, row, "value");
  });
  tip.appendChild(table);
}

function valueText(data, i, values) {
  if (data.classes[i] === "a") return data.words.not_applicable;
  const value = values[i];
  return value === null || value === undefined ? data.words.no_data : `${value.toFixed(1)}%`;
}

function legend(map) {
  const control = L.control({ position: "bottomright" });
  let box = null;
  control.onAdd = () => (box = L.DomUtil.create("div", "covermap-legend"));
  control.addTo(map);
  return {
    update(spec) {
      box.replaceChildren();
      box.style.display = spec ? "" : "none";
      if (!spec) return;
      text("div", spec.title, box, "title");
      for (const [colour, label, dashed] of spec.rows) {
        const row = text("div", "", box, "row");
        const swatch = text("span", "", row, dashed ? "swatch dashed" : "swatch");
        swatch.style.background = colour;
        row.appendChild(document.createTextNode(label));
      }
      for (const note of spec.notes || []) text("div", note, box, "note");
    },
  };
}

// What the page draws over the units: the region's outline where units are dots,
// and project sites. Both are small; they are replaced when they change.
function overlays(map) {
  let drawnKey = null;
  let group = L.layerGroup().addTo(map);
  return {
    update(data) {
      const key = JSON.stringify([data.outline, data.sites, data.lines]);
      if (key === drawnKey) return;
      drawnKey = key;
      group.remove();
      group = L.layerGroup().addTo(map);
      if (data.outline) {
        L.geoJSON(data.outline.geojson, {
          interactive: false, pane: "backdrop", style: data.outline.style,
        }).addTo(group);
      }
      for (const line of data.lines || []) {
        L.polyline(line.points, { color: line.colour, weight: line.weight || 3, opacity: 0.9, interactive: false })
          .addTo(group);
      }
      const sites = data.sites || [];
      if (data.clusterSites && sites.length) {
        // Many sites (a province's projects): clustered, once the plugin is here.
        loadClusters().then(() => {
          if (drawnKey !== key) return;
          const cluster = L.markerClusterGroup({
            maxClusterRadius: 45, chunkedLoading: true, showCoverageOnHover: false,
          });
          sites.forEach((site) => cluster.addLayer(siteMarker(site)));
          cluster.addTo(group);
        });
        return;
      }
      for (const site of sites) siteMarker(site).addTo(group);
    },
  };
}

// A site: a dot in its colour, or a numbered stop; its tooltip set as text.
function siteMarker(site) {
  const marker = site.number === undefined
    ? L.circleMarker([site.lat, site.lon], {
      radius: site.radius || 4, color: site.edge || "#ffffff", weight: 1,
      fillColor: site.colour, fillOpacity: 1, interactive: Boolean(site.tip),
    })
    : L.marker([site.lat, site.lon], { icon: numbered(site), interactive: Boolean(site.tip) });
  if (site.tip) marker.bindTooltip(() => text("div", site.tip), { className: "covermap-tip-leaflet" });
  return marker;
}

// A numbered stop (a route's order), its number set as text.
function numbered(site) {
  const badge = document.createElement("div");
  badge.className = "covermap-stop";
  badge.style.background = site.colour;
  badge.textContent = String(site.number);
  return L.divIcon({ html: badge, className: "", iconSize: [22, 22], iconAnchor: [11, 11] });
}

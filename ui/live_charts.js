// Live charts: while the Train a network page plays, its charts move to each new epoch without a redraw.
//
// Mounted by ui/live_charts.py (move_charts) through st.components.v2 in the page's live fragment, which
// reruns once a second while training plays.  Each run sends, as one JSON text (data.payload), the next
// second's updates (five) and the time between two of them (interval, in ms).  An update holds, for each
// chart (by the key it was drawn with), what core's figure builder drew for one epoch: every trace's x
// and y, and layout values that change as training goes on (the axis ranges, the decision regions'
// image).  The charts themselves are drawn once, outside the fragment, so Streamlit leaves them alone
// meanwhile; this script draws the first update at once and each next one `interval` ms later:
//
// - layout values that differ from the chart's: Plotly.relayout (the image of the decision regions every
//   epoch, a few milliseconds; an axis range only when it steps, 10 → 20 epochs and so on);
// - the traces of a line chart: Plotly.animate without a redraw, which redraws only the traces, not the
//   axes and legend;
// - whole attributes of a heatmap (the digits' confusion matrix): Plotly.restyle, which redraws the chart.
//
// It only picks which of the updates core computed to draw when: it computes no number, sends nothing to
// the server and writes nothing into the page but through Plotly.  A chart that is not on the page (yet)
// is skipped: every update is complete, so the next one catches up.  New updates replace the ones not
// drawn yet; when training pauses, the page draws the charts at the epoch reached, as before, and this
// script leaves alone every chart the server has drawn again (then the component leaves the page).

const FRAME_ONLY = { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: "immediate" };

// The value at a layout path such as "xaxis.range" or "images[0].source" (undefined if absent).
function valueAt(layout, path) {
  let node = layout;
  for (const part of path.split(".")) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$/.exec(part);
    if (!match || node == null) return undefined;
    node = node[match[1]];
    if (match[2] !== undefined) node = node == null ? undefined : node[Number(match[2])];
  }
  return node;
}

// `ours()` says whether the chart is still this script's to move: a step still queued when the server
// draws the chart again is dropped.
function move(graph, update, ours) {
  const changed = {};
  for (const [path, value] of Object.entries(update.layout || {})) {
    if (JSON.stringify(valueAt(graph.layout, path)) !== JSON.stringify(value)) changed[path] = value;
  }
  let done = Object.keys(changed).length ? window.Plotly.relayout(graph, changed) : Promise.resolve();
  if (update.restyle) {
    // Whole attributes of every trace (a heatmap's z and text): Plotly redraws the chart.
    const indices = Object.values(update.restyle)[0].map((_, i) => i);
    done = done.then(() => ours() && window.Plotly.restyle(graph, update.restyle, indices));
  }
  if (update.traces && update.traces.length) {
    done = done.then(
      () => ours() && window.Plotly.animate(graph, { data: update.data, traces: update.traces }, FRAME_ONLY),
    );
  }
  // A frame still queued when the next payload arrives is interrupted, and plotly.js rejects its promise
  // (with no reason); the next payload is complete and draws the chart, so that rejection is dropped.
  done.catch(() => {});
}

// Whether the server has drawn the chart again since this mount first moved it.  When training pauses,
// the page's rerun draws every chart at the epoch reached while this component is still on the page: it
// leaves only when that rerun ends, and until then its timer would go on moving the fresh charts to the
// updates it still holds, older or newer than the epoch the page now shows.  Plotly.react (how Streamlit
// draws a changed figure into the same chart) gives the chart a new data array, and a figure mounted
// afresh is a new element; Plotly.animate, restyle and relayout keep both.
function redrawn(graph, first) {
  return graph !== first.graph || graph.data !== first.data;
}

export default function ({ data }) {
  const { updates, interval } = JSON.parse(data.payload);
  const moved = new Map(); // chart key -> the chart and its data array when this mount first moved it
  let next = 0;
  let timer = null;
  function draw() {
    timer = null;
    // window.Plotly is plotly.js's own global, set when Streamlit loads its chart code (until then no
    // chart is drawn, and the next update catches up).
    for (const [key, update] of Object.entries(window.Plotly ? updates[next] : {})) {
      // Streamlit gives a keyed element's container the class "st-key-<key>".
      const find = () => document.querySelector(`.st-key-${CSS.escape(key)} .js-plotly-plot`);
      const graph = find();
      if (!graph || !graph._fullLayout) continue;
      if (!moved.has(key)) moved.set(key, { graph, data: graph.data });
      const first = moved.get(key);
      if (redrawn(graph, first)) continue; // the page's own drawing wins
      move(graph, update, () => !redrawn(find(), first));
    }
    next += 1;
    if (next < updates.length) timer = setTimeout(draw, interval);
  }
  draw();
  // Streamlit calls this when the component leaves the page or is mounted again with new updates.
  return () => {
    if (timer !== null) clearTimeout(timer);
  };
}

/* Sliders for the book's interactive figures (model/output/plotting/interactive.py).
 *
 * Each <div class="jevons-interactive"> holds a JSON spec (script.jevons-spec): the initial
 * Plotly figure, one slider per grid axis, the engine's precomputed arrays and, per trace, which
 * slice of which array it shows. Moving a slider takes those slices at the sliders' positions
 * and redraws those traces (Plotly.animate without a transition). Nothing is computed here but
 * array indices. The promise of the last redraw is kept on the container (box.jevonsRedraw)
 * for the browser test.
 */
(function () {
  "use strict";

  // The slice of array `a` (shape, flat data) where take[d] is an index, "c<k>" or "free".
  function slice(a, take, positions) {
    var fixed = take.map(function (t) {
      return typeof t === "string" && t.charAt(0) === "c" ? positions[+t.slice(1)] : t;
    });
    var free = fixed.indexOf("free");
    var offset = 0, stride = 1, freeStride = 0;
    for (var d = a.shape.length - 1; d >= 0; d--) {
      if (d === free) { freeStride = stride; } else { offset += fixed[d] * stride; }
      stride *= a.shape[d];
    }
    if (free < 0) { return [a.data[offset]]; }
    var out = new Array(a.shape[free]);
    for (var i = 0; i < out.length; i++) { out[i] = a.data[offset + i * freeStride]; }
    return out;
  }

  function format(value, digits) {
    return value.toLocaleString("en-US", { maximumSignificantDigits: digits });
  }

  function setUp(box) {
    var spec = JSON.parse(box.querySelector("script.jevons-spec").textContent);
    var plot = box.querySelector(".jevons-plot");
    var inputs = Array.prototype.slice.call(box.querySelectorAll("input[data-axis]"));
    var readout = box.querySelector(".jevons-readout");
    var data = spec.figure.data;

    var moved = [];  // the traces that any control moves
    spec.updates.forEach(function (u) { if (moved.indexOf(u.trace) < 0) { moved.push(u.trace); } });

    function positions() { return inputs.map(function (input) { return +input.value; }); }

    function redraw() {
      var pos = positions();
      data = data.map(function (trace) { return Object.assign({}, trace); });
      spec.updates.forEach(function (u) {
        if (u.axis !== undefined) {
          data[u.trace][u.prop] = [spec.axes[u.axis].values[pos[u.axis]]];
        } else {
          data[u.trace][u.prop] = slice(spec.arrays[u.array], u.take, pos);
        }
      });
      inputs.forEach(function (input, k) {
        input.nextElementSibling.textContent = spec.axes[k].labels[pos[k]];
      });
      if (spec.readout) {
        readout.textContent = spec.readout.template.replace(/\{(\d+)\}/g, function (_, i) {
          var v = spec.readout.values[+i];
          return format(slice(spec.arrays[v.array], v.take, pos)[0], v.digits);
        });
      }
      // Only the moved traces' points change (every axis range is fixed), so Plotly's animation
      // path with no transition redraws just those traces: several times faster than a replot.
      box.jevonsRedraw = Plotly.animate(plot, {
        data: moved.map(function (t) { return { x: data[t].x, y: data[t].y }; }),
        traces: moved
      }, { transition: { duration: 0 }, frame: { duration: 0, redraw: false },
           mode: "immediate" });
      return box.jevonsRedraw;
    }

    inputs.forEach(function (input) { input.addEventListener("input", redraw); });
    box.jevonsRedraw = Plotly.newPlot(plot, data, spec.figure.layout, spec.config).then(redraw);
  }

  function start() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll(".jevons-interactive").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/*
 * ttmsim matrix report: inlined into the page by MatrixHtml; ASCII only, no external resources.
 *
 * The results are the JSON array in the script element #results; each td.cell carries data-index into it.
 * A click on a cell renders that run into #detail with DOM text nodes only (never innerHTML), so no
 * scenario name, message or trace line can inject markup.
 *
 * Test hook (used by MatrixHtmlBrowserTest through chromium --dump-dom): a URL hash
 *   #select=<scenario>|<design>|<mode>[&trace=<filter>]
 * (each part percent-encoded) dispatches a real click on that cell, then types <filter> into the
 * trace filter box. A click writes the same hash back, so a selection can be bookmarked.
 */
(function () {
  'use strict';

  var results = JSON.parse(document.getElementById('results').textContent);
  var detail = document.getElementById('detail');
  var HEX_INLINE_BYTES = 64;
  var TRACE_LINE = /^\[step (\d+)\] (\S+) /;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function add(parent, tag, cls, text) {
    return parent.appendChild(el(tag, cls, text));
  }

  /** A class-name-safe token of a data value. */
  function token(s) {
    return String(s || '').toLowerCase().replace(/[^a-z0-9-]/g, '');
  }

  function hexToBytes(hex) {
    var bytes = [];
    for (var i = 0; i + 1 < hex.length; i += 2) {
      bytes.push(parseInt(hex.substr(i, 2), 16));
    }
    return bytes;
  }

  function pad(s, n) {
    s = String(s);
    while (s.length < n) {
      s = '0' + s;
    }
    return s;
  }

  /** Lines of "offset  hex bytes  |printable|", 16 bytes a line. */
  function hexdump(bytes, from, to) {
    var lines = [];
    for (var off = from; off < to; off += 16) {
      var hex = [];
      var text = '';
      for (var i = off; i < Math.min(off + 16, to); i++) {
        hex.push(pad(bytes[i].toString(16), 2));
        text += bytes[i] >= 0x20 && bytes[i] < 0x7f ? String.fromCharCode(bytes[i]) : '.';
      }
      var hexText = hex.join(' ');
      while (to - from > 16 && hexText.length < 47) {
        hexText += ' ';
      }
      lines.push(pad(off.toString(16), 4) + '  ' + hexText + '  |' + text + '|');
    }
    return lines.join('\n');
  }

  function dataCell(td, data) {
    if (!data || typeof data.hex !== 'string') {
      return;
    }
    var bytes = hexToBytes(data.hex);
    var shown = Math.min(bytes.length, HEX_INLINE_BYTES);
    add(td, 'pre', 'hexdump', hexdump(bytes, 0, shown));
    if (bytes.length > shown) {
      var more = add(td, 'details', 'more-data');
      add(more, 'summary', null, 'all ' + bytes.length + ' bytes');
      add(more, 'pre', 'hexdump', hexdump(bytes, shown, bytes.length));
    }
  }

  function renderHeader(r, cell) {
    add(detail, 'h2', 'scenario-name', r.scenario);
    var meta = add(detail, 'p', 'meta');
    meta.appendChild(document.createTextNode('design '));
    add(meta, 'code', 'design', r.design);
    meta.appendChild(document.createTextNode(' \u00b7 mode '));
    add(meta, 'code', 'mode', r.mode);
    meta.appendChild(document.createTextNode(' \u00b7 verdict '));
    add(meta, 'span', 'verdict ' + token(r.verdict), r.verdict);
    meta.appendChild(document.createTextNode(' \u00b7 cell '));
    add(meta, 'code', 'cell-text', cell.textContent);
    add(detail, 'p', 'meta file', 'file: ' + r.file);
    if (r.error) {
      add(detail, 'p', 'error-text', 'error: ' + r.error);
    }
    if (r.failures && r.failures.length) {
      add(detail, 'h3', null, 'Expectations not met');
      var ul = add(detail, 'ul', 'failures');
      r.failures.forEach(function (f) {
        add(ul, 'li', null, f);
      });
    }
  }

  function stepHeld(s) {
    return (s.expected === undefined || s.expected === s.result) && s.held !== false;
  }

  function renderSteps(r) {
    add(detail, 'h3', null, 'Steps (' + r.steps.length + ')');
    var violated = {};
    r.violations.forEach(function (v) {
      violated[v.step] = true;
    });
    var table = add(add(detail, 'div', 'scroll-x'), 'table', 'steps');
    var head = add(add(table, 'thead'), 'tr');
    ['#', 'op', 'result', 'expected', 'held', 'detail', 'data'].forEach(function (h) {
      add(head, 'th', null, h);
    });
    var body = add(table, 'tbody');
    r.steps.forEach(function (s) {
      var tr = add(body, 'tr', (stepHeld(s) ? '' : 'unmet ') + (violated[s.index] ? 'violated' : ''));
      tr.id = 'step-' + s.index;
      tr.setAttribute('data-step', s.index);
      add(tr, 'td', 'index', s.index);
      add(tr, 'td', 'op mono', s.op);
      add(tr, 'td', 'result mono', s.result);
      add(tr, 'td', 'expected mono', s.expected === undefined ? '' : s.expected);
      var held = s.held === undefined ? '' : (s.held ? 'held' : 'DID NOT HOLD');
      add(tr, 'td', s.held === undefined ? 'held' : (s.held ? 'held held-yes' : 'held held-no'), held);
      add(tr, 'td', 'step-detail', s.detail || '');
      dataCell(add(tr, 'td', 'data'), s.data);
    });
  }

  function flashStep(index) {
    var row = document.getElementById('step-' + index);
    if (row) {
      row.classList.add('flash');
      row.scrollIntoView({block: 'center'});
      setTimeout(function () {
        row.classList.remove('flash');
      }, 1200);
    }
  }

  function renderViolations(r) {
    add(detail, 'h3', null, 'Violations (' + r.violations.length + ')');
    if (!r.violations.length) {
      add(detail, 'p', 'none', 'none');
      return;
    }
    r.violations.forEach(function (v) {
      var box = add(detail, 'div', 'violation');
      box.setAttribute('data-invariant', v.invariant);
      box.setAttribute('data-step', v.step);
      var head = add(box, 'div', 'head');
      add(head, 'code', 'invariant', v.invariant);
      head.appendChild(document.createTextNode(' at '));
      var link = add(head, 'a', 'step-link', 'step ' + v.step);
      link.addEventListener('click', function () {
        flashStep(v.step);
      });
      add(box, 'div', 'message', v.message);
      var ol = add(box, 'ol', 'evidence');
      (v.evidence || []).forEach(function (e) {
        add(ol, 'li', null, e);
      });
    });
  }

  function renderCosts(r) {
    add(detail, 'h3', null, 'Costs');
    var table = add(detail, 'table', 'costs');
    var body = add(table, 'tbody');
    Object.keys(r.costs).forEach(function (k) {
      var tr = add(body, 'tr', r.costs[k] === 0 ? 'zero' : '');
      tr.setAttribute('data-counter', k);
      add(tr, 'th', 'mono', k);
      add(tr, 'td', 'num', r.costs[k]);
    });
  }

  function renderState(r) {
    add(detail, 'h3', null, 'Final state');
    add(detail, 'pre', 'state', JSON.stringify(r.state, null, 2));
  }

  function renderFrames(r) {
    add(detail, 'h3', null, 'Frames involved (' + r.frames.length + ')');
    if (!r.frames.length) {
      add(detail, 'p', 'none', 'none recorded');
      return;
    }
    var legend = add(detail, 'p', 'meta frames-legend',
        'solid border: private (encrypted) \u00b7 dashed border: shared with the host / unencrypted');
    legend.setAttribute('aria-hidden', 'true');
    var box = add(detail, 'div', 'frames');
    r.frames.forEach(function (f) {
      var fr = add(box, 'div', 'frame kind-' + token(f.kind) + ' state-' + token(f.state));
      fr.setAttribute('data-pfn', f.pfn_hex);
      add(fr, 'span', 'kind', f.kind);
      add(fr, 'div', 'pfn', 'pfn ' + f.pfn_hex);
      add(fr, 'div', 'owner', 'owner: ' + (f.owner ? f.owner : '(none)'));
      add(fr, 'div', 'state', 'state: ' + (f.state ? f.state : '(unknown)'));
      if (!f.mapped_by.length) {
        add(fr, 'div', 'none', 'not mapped');
        return;
      }
      var ul = add(fr, 'ul', 'mapped-by');
      f.mapped_by.forEach(function (m) {
        add(ul, 'li', null, m);
      });
    });
  }

  function applyTraceFilter(input, list, count) {
    var wanted = input.value.trim().toLowerCase().split(/[\s,]+/).filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(list.children, function (li) {
      var component = li.getAttribute('data-component');
      var visible = !wanted.length || wanted.some(function (w) {
        return component.indexOf(w) === 0;
      });
      li.hidden = !visible;
      shown += visible ? 1 : 0;
    });
    count.textContent = 'showing ' + shown + ' of ' + list.children.length;
  }

  function renderTrace(r) {
    if (!r.trace.length) {
      return;
    }
    var evidence = {};
    r.violations.forEach(function (v) {
      (v.evidence || []).forEach(function (e) {
        evidence[e] = true;
      });
    });
    var box = add(detail, 'details', 'trace-box');
    box.id = 'trace';
    add(box, 'summary', null, 'Event trace (' + r.trace.length + ' events)');
    var tools = add(box, 'div', 'trace-tools');
    var label = add(tools, 'label', null, 'component prefix: ');
    var input = add(label, 'input');
    input.id = 'trace-filter';
    input.type = 'search';
    input.placeholder = 'e.g. mm dma cpa';
    var count = add(tools, 'span', 'trace-count');
    count.style.marginLeft = '8px';
    var list = add(box, 'ol', 'trace');
    r.trace.forEach(function (line) {
      var m = TRACE_LINE.exec(line);
      var li = add(list, 'li', evidence[line] ? 'evidence' : '', line);
      li.setAttribute('data-component', m ? m[2] : '');
      li.setAttribute('data-step', m ? m[1] : '');
    });
    input.addEventListener('input', function () {
      applyTraceFilter(input, list, count);
    });
    applyTraceFilter(input, list, count);
  }

  function select(cell) {
    var r = results[Number(cell.getAttribute('data-index'))];
    Array.prototype.forEach.call(document.querySelectorAll('td.cell.selected'), function (c) {
      c.classList.remove('selected');
      c.setAttribute('aria-selected', 'false');
    });
    cell.classList.add('selected');
    cell.setAttribute('aria-selected', 'true');
    detail.textContent = '';
    detail.setAttribute('data-index', cell.getAttribute('data-index'));
    renderHeader(r, cell);
    renderViolations(r);
    renderSteps(r);
    renderFrames(r);
    renderCosts(r);
    renderState(r);
    renderTrace(r);
    var hash = '#select=' + [r.scenario, r.design, r.mode].map(encodeURIComponent).join('|');
    if (location.hash !== hash && history.replaceState) {
      history.replaceState(null, '', hash);
    }
  }

  document.addEventListener('click', function (event) {
    var cell = event.target.closest ? event.target.closest('td.cell') : null;
    if (cell) {
      select(cell);
    }
  });

  document.addEventListener('keydown', function (event) {
    var cell = event.target;
    if (cell.matches && cell.matches('td.cell') && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      cell.click();
    }
  });

  /** Splits "a|b|c" from the right: designs and modes never hold '|', scenario names might. */
  function parseSelect(value) {
    var parts = value.split('|').map(decodeURIComponent);
    if (parts.length < 3) {
      return null;
    }
    var mode = parts.pop();
    var design = parts.pop();
    return {scenario: parts.join('|'), design: design, mode: mode};
  }

  function selectFromHash() {
    var params = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var at = kv.indexOf('=');
      if (at > 0) {
        params[kv.substring(0, at)] = kv.substring(at + 1);
      }
    });
    var want = params.select === undefined ? null : parseSelect(params.select);
    if (!want) {
      return;
    }
    var cells = document.querySelectorAll('td.cell');
    for (var i = 0; i < cells.length; i++) {
      var c = cells[i];
      if (c.getAttribute('data-scenario') === want.scenario && c.getAttribute('data-design') === want.design
          && c.getAttribute('data-mode') === want.mode) {
        c.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
        break;
      }
    }
    var input = document.getElementById('trace-filter');
    if (input && params.trace !== undefined) {
      input.value = decodeURIComponent(params.trace);
      input.dispatchEvent(new Event('input', {bubbles: true}));
      document.getElementById('trace').open = true;
    }
  }

  window.addEventListener('hashchange', selectFromHash);
  selectFromHash();
})();

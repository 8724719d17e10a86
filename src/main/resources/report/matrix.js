/*
 * ttmsim matrix report: inlined into the page by MatrixHtml; ASCII only, no external resources.
 *
 * The results are the JSON array in the script element #results; each td.cell carries data-index into it.
 * A click on a cell renders that run into #detail with DOM text nodes only (never innerHTML), so no
 * scenario name, message or trace line can inject markup.
 *
 * The trace folds each run of TRACE_RUN_MIN or more consecutive events of one kind in one step (16 "mm
 * pte-insert" of a prefault, a loop of cpu-writes) into one line, "[step 4] 16 x mm pte-insert
 * pfn=0x4400..0x440f", a <details> that shows the events on click; likewise a sequence of up to
 * TRACE_PERIOD_MAX kinds repeated TRACE_RUN_MIN or more times (a per-page allocation loop: "[step 1] 8 x
 * (cache cache-flush, 2 x tlb tlb-flush, cpa conversion, ...) pfn=0x4400..0x4407", the frames being those
 * of each repetition's first event). List numbers stay those of the events; the component filter applies
 * to the events inside a fold too.
 *
 * Test hooks (used by MatrixHtmlBrowserIT through chromium --dump-dom): a URL hash
 *   #select=<scenario>|<design>|<mode>[&trace=<filter>][&expand=<n>]
 * (each part percent-encoded) dispatches a real click on that cell, then types <filter> into the
 * trace filter box, then clicks the n-th (1-based) folded run of the trace; and
 *   #summary=<row>|<mode>
 * clicks that cell of the summary table, which opens its first run worth reading. A click on a cell writes
 * the #select hash back, so a selection can be bookmarked.
 */
(function () {
  'use strict';

  var results = JSON.parse(document.getElementById('results').textContent);
  var detail = document.getElementById('detail');
  var HEX_INLINE_BYTES = 64;
  var TRACE_LINE = /^\[step (\d+)\] (\S+) (\S+)(?: pfn=0x([0-9a-f]+))?/;
  var TRACE_RUN_MIN = 3;
  var TRACE_PERIOD_MAX = 12;
  var TIMES = ' \u00d7 ';

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
    meta.appendChild(document.createTextNode(' \u00b7 kernel '));
    add(meta, 'code', 'kernel', r.kernel);
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
    if (r.note) {
      add(detail, 'p', 'note', 'note: ' + r.note);
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

  function wantedComponent(wanted, li) {
    var component = li.getAttribute('data-component');
    return !wanted.length || wanted.some(function (w) {
      return component.indexOf(w) === 0;
    });
  }

  /**
   * Hides the events whose component does not start with a wanted prefix, inside folds too (a fold with
   * none left is hidden), and counts events, not lines.
   */
  function applyTraceFilter(input, list, count) {
    var wanted = input.value.trim().toLowerCase().split(/[\s,]+/).filter(Boolean);
    var shown = 0;
    var total = 0;
    Array.prototype.forEach.call(list.children, function (li) {
      if (!li.classList.contains('group')) {
        li.hidden = !wantedComponent(wanted, li);
        shown += li.hidden ? 0 : 1;
        total += 1;
        return;
      }
      var left = 0;
      var members = li.querySelectorAll('ol.run-lines > li');
      Array.prototype.forEach.call(members, function (m) {
        m.hidden = !wantedComponent(wanted, m);
        left += m.hidden ? 0 : 1;
      });
      li.hidden = left === 0;
      shown += left;
      total += members.length;
    });
    count.textContent = 'showing ' + shown + ' of ' + total;
  }

  /** One trace line parsed: its step, component, kind and pfn (null when it names none). */
  function parseTraceLine(line, number) {
    var m = TRACE_LINE.exec(line);
    return {
      line: line, number: number, step: m ? m[1] : '', component: m ? m[2] : '', kind: m ? m[3] : '',
      pfn: m && m[4] !== undefined ? parseInt(m[4], 16) : null, event: !!m
    };
  }

  function sameKind(a, b) {
    return a.event && b.event && a.step === b.step && a.component === b.component && a.kind === b.kind;
  }

  /** Whether the `period` entries from index a have the kinds of those from index b. */
  function samePeriod(entries, a, b, period) {
    for (var j = 0; j < period; j++) {
      if (!sameKind(entries[a + j], entries[b + j])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The trace cut into folds, left to right: at each line the period (1..TRACE_PERIOD_MAX) whose
   * repetitions cover the most events, if it repeats TRACE_RUN_MIN times or more (the shortest period on a
   * tie), else the line alone. Each fold is {entries, period, times}.
   */
  function traceFolds(lines) {
    var entries = lines.map(function (line, i) {
      return parseTraceLine(line, i + 1);
    });
    var folds = [];
    var i = 0;
    while (i < entries.length) {
      var best = {period: 1, times: 1};
      for (var p = 1; p <= TRACE_PERIOD_MAX && i + p * TRACE_RUN_MIN <= entries.length; p++) {
        var k = 1;
        while (i + (k + 1) * p <= entries.length && samePeriod(entries, i, i + k * p, p)) {
          k++;
        }
        if (k >= TRACE_RUN_MIN && k * p > best.period * best.times) {
          best = {period: p, times: k};
        }
      }
      var n = best.period * best.times;
      folds.push({entries: entries.slice(i, i + n), period: best.period, times: best.times});
      i += n;
    }
    return folds;
  }

  /**
   * "pfn=0x4400..0x440f" over the frames of each repetition's first event when they are consecutive; the
   * range and "not contiguous" otherwise; nothing when no event names a frame.
   */
  function pfnSpan(fold) {
    var firsts = fold.entries.filter(function (e, i) {
      return i % fold.period === 0;
    });
    var pfns = firsts.map(function (e) {
      return e.pfn;
    }).filter(function (p) {
      return p !== null;
    });
    if (!pfns.length) {
      return '';
    }
    var lo = Math.min.apply(null, pfns);
    var hi = Math.max.apply(null, pfns);
    if (lo === hi) {
      return ' pfn=0x' + lo.toString(16);
    }
    var contiguous = pfns.length === firsts.length && pfns.every(function (p, i) {
      return p === pfns[0] + i;
    });
    return ' pfn=0x' + lo.toString(16) + '..0x' + hi.toString(16) + (contiguous ? '' : ' (not contiguous)');
  }

  /** "16 x mm pte-insert", or "8 x (cache cache-flush, 2 x tlb tlb-flush, ...)" for a longer period. */
  function foldLabel(fold) {
    var kinds = [];
    for (var j = 0; j < fold.period; j++) {
      var e = fold.entries[j];
      var name = e.component + ' ' + e.kind;
      var last = kinds[kinds.length - 1];
      if (last && last.name === name) {
        last.times++;
      } else {
        kinds.push({name: name, times: 1});
      }
    }
    var names = kinds.map(function (k) {
      return k.times > 1 ? k.times + TIMES + k.name : k.name;
    });
    var what = fold.period === 1 ? names[0] : '(' + names.join(', ') + ')';
    return '[step ' + fold.entries[0].step + '] ' + fold.times + TIMES + what + pfnSpan(fold);
  }

  function traceItem(parent, e, evidence) {
    var li = add(parent, 'li', evidence[e.line] ? 'evidence' : '', e.line);
    li.setAttribute('data-component', e.component);
    li.setAttribute('data-step', e.step);
    return li;
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
    traceFolds(r.trace).forEach(function (fold) {
      var first = fold.entries[0];
      if (fold.times === 1) {
        traceItem(list, first, evidence).value = first.number;
        return;
      }
      var hasEvidence = fold.entries.some(function (e) {
        return evidence[e.line];
      });
      var group = add(list, 'li', 'group' + (hasEvidence ? ' has-evidence' : ''));
      group.setAttribute('data-component', first.component);
      group.setAttribute('data-step', first.step);
      group.setAttribute('data-count', fold.entries.length);
      group.value = first.number;
      var folded = add(group, 'details', 'run');
      add(folded, 'summary', null, foldLabel(fold));
      var lines = add(folded, 'ol', 'run-lines');
      lines.start = first.number;
      fold.entries.forEach(function (e) {
        traceItem(lines, e, evidence);
      });
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

  /** A summary cell opens the first run worth reading in its row and mode: that cell is clicked and shown. */
  function openFromSummary(sum) {
    var cell = document.getElementById('cell-' + sum.getAttribute('data-first'));
    if (cell) {
      cell.click();
      cell.scrollIntoView({block: 'center'});
    }
  }

  document.addEventListener('click', function (event) {
    var cell = event.target.closest ? event.target.closest('td.cell') : null;
    if (cell) {
      select(cell);
      return;
    }
    var sum = event.target.closest ? event.target.closest('td.sum[tabindex]') : null;
    if (sum) {
      openFromSummary(sum);
    }
  });

  document.addEventListener('keydown', function (event) {
    var cell = event.target;
    if (cell.matches && cell.matches('td.cell, td.sum[tabindex]') && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      cell.click();
    }
  });

  function click(target) {
    target.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
  }

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
    if (params.summary !== undefined) {
      var parts = params.summary.split('|').map(decodeURIComponent);
      Array.prototype.forEach.call(document.querySelectorAll('td.sum[tabindex]'), function (s) {
        if (s.getAttribute('data-row') === parts[0] && s.getAttribute('data-mode') === parts[1]) {
          click(s);
        }
      });
    }
    var want = params.select === undefined ? null : parseSelect(params.select);
    if (!want) {
      return;
    }
    var cells = document.querySelectorAll('td.cell');
    for (var i = 0; i < cells.length; i++) {
      var c = cells[i];
      if (c.getAttribute('data-scenario') === want.scenario && c.getAttribute('data-design') === want.design
          && c.getAttribute('data-mode') === want.mode) {
        click(c);
        break;
      }
    }
    var input = document.getElementById('trace-filter');
    if (input && params.trace !== undefined) {
      input.value = decodeURIComponent(params.trace);
      input.dispatchEvent(new Event('input', {bubbles: true}));
      document.getElementById('trace').open = true;
    }
    var runs = document.querySelectorAll('#trace li.group > details > summary');
    var n = params.expand === undefined ? 0 : Number(params.expand);
    if (n >= 1 && n <= runs.length) {
      document.getElementById('trace').open = true;
      click(runs[n - 1]);
    }
  }

  window.addEventListener('hashchange', selectFromHash);
  selectFromHash();
})();

// Preflight's built-in theme script: search, and sorting and filtering of
// service tables. Every page works without it; it only adds convenience.
(function () {
  'use strict';

  // Search: fetch the index written at build time, rank and show matches.
  // Each query word must occur in an entry's title, keywords or text; words
  // found in titles and as whole keywords rank first, services before the
  // rest when they tie. Arrow keys move through the results.
  function setUpSearch() {
    var input = document.getElementById('search-input');
    var results = document.getElementById('search-results');
    if (!input || !results) { return; }
    var root = document.body.getAttribute('data-root') || '';
    var index = null;
    var loading = null;
    var kindRank = { service: 3, team: 2, campaign: 2, checklist: 1 };

    function load() {
      if (!loading) {
        loading = fetch(input.getAttribute('data-index'))
          .then(function (response) { return response.json(); })
          .then(function (entries) {
            index = entries.map(function (entry) {
              return {
                entry: entry,
                title: entry.title.toLowerCase(),
                keywords: ' ' + (entry.keywords || '').toLowerCase() + ' ' + entry.kind + ' ',
                text: ' ' + (entry.text || '').toLowerCase() + ' '
              };
            });
          })
          .catch(function () { index = []; });
      }
      return loading;
    }

    function scoreOf(item, words, phrase) {
      var total = 0;
      for (var i = 0; i < words.length; i += 1) {
        var word = words[i];
        // A whole word of the title 5, a keyword 4, the start of a title
        // word 3, inside a title or keyword 2, in the text 1.
        var best = 0;
        var at = item.title.indexOf(word);
        if (at !== -1) {
          var starts = at === 0 || /[^a-z0-9]/.test(item.title.charAt(at - 1));
          var ends = at + word.length === item.title.length || /[^a-z0-9]/.test(item.title.charAt(at + word.length));
          best = starts ? (ends ? 5 : 3) : 2;
        }
        if (best < 4 && item.keywords.indexOf(' ' + word + ' ') !== -1) { best = 4; }
        else if (best < 2 && item.keywords.indexOf(word) !== -1) { best = 2; }
        if (!best && item.text.indexOf(word) !== -1) { best = 1; }
        if (!best) { return 0; }
        total += best;
      }
      if (words.length > 1 && (item.title.indexOf(phrase) !== -1 || item.keywords.indexOf(' ' + phrase + ' ') !== -1)) {
        total += 4;
      }
      return total * 4 + (kindRank[item.entry.kind] || 0);
    }

    function show() {
      var phrase = input.value.toLowerCase().replace(/\s+/g, ' ').trim();
      var words = phrase.split(' ').filter(Boolean);
      results.textContent = '';
      if (!words.length || !index) { close(); return; }
      var matches = [];
      index.forEach(function (item, position) {
        var score = scoreOf(item, words, phrase);
        if (score) { matches.push({ item: item, score: score, position: position }); }
      });
      matches.sort(function (a, b) { return b.score - a.score || a.position - b.position; });
      matches.slice(0, 12).forEach(function (match, i) {
        var entry = match.item.entry;
        var item = document.createElement('li');
        var link = document.createElement('a');
        link.href = root + entry.url;
        link.id = 'search-result-' + i;
        link.textContent = entry.title;
        var kind = document.createElement('span');
        kind.className = 'kind';
        kind.textContent = ' ' + entry.kind + (entry.detail ? ' · ' + entry.detail : '');
        item.appendChild(link);
        item.appendChild(kind);
        results.appendChild(item);
      });
      if (!matches.length) {
        var none = document.createElement('li');
        none.textContent = 'No matches';
        results.appendChild(none);
      } else if (matches.length > 12) {
        var more = document.createElement('li');
        more.className = 'more';
        more.textContent = '12 of ' + matches.length + ' shown: add a word to narrow them';
        results.appendChild(more);
      }
      var status = document.getElementById('search-status');
      if (status) {
        status.textContent = matches.length ? Math.min(matches.length, 12) + ' of ' + matches.length + ' results' : 'No matches';
      }
      results.hidden = false;
    }

    function close() {
      results.hidden = true;
    }

    function links() { return Array.prototype.slice.call(results.querySelectorAll('a')); }

    input.addEventListener('focus', load);
    input.addEventListener('input', function () { load().then(show); });
    input.form.addEventListener('submit', function (event) {
      event.preventDefault();
      var first = results.querySelector('a');
      if (first) { window.location.href = first.href; }
    });
    input.form.addEventListener('keydown', function (event) {
      var all = links();
      if (!all.length || results.hidden) { return; }
      var at = all.indexOf(document.activeElement);
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        all[Math.min(at + 1, all.length - 1)].focus();
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        if (at <= 0) { input.focus(); } else { all[at - 1].focus(); }
      } else if (event.key === 'Home' && at >= 0) {
        event.preventDefault();
        all[0].focus();
      } else if (event.key === 'End' && at >= 0) {
        event.preventDefault();
        all[all.length - 1].focus();
      }
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && !results.hidden) {
        close();
        input.focus();
      }
    });
    document.addEventListener('click', function (event) {
      if (!input.form.contains(event.target)) { close(); }
    });
  }

  // Sorting: headers of a `sortable` table become buttons; cells carry data-sort.
  // Values that are numbers compare as numbers; everything else (dates are
  // written YYYY-MM-DD) compares as text. Empty values go last either way.
  var NUMBER = /^-?\d+(\.\d+)?$/;
  function compareValues(x, y) {
    if (NUMBER.test(x) && NUMBER.test(y)) { return parseFloat(x) - parseFloat(y); }
    // Names in any case together; digits inside compare as numbers, so
    // YYYY-MM-DD dates keep date order.
    return x.localeCompare(y, undefined, { numeric: true, sensitivity: 'base' });
  }

  function sortTable(table, column, ascending) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
    headers[column].setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      var cell = row.cells[column];
      return { row: row, value: cell ? (cell.getAttribute('data-sort') || '') : '', position: position };
    });
    rows.sort(function (a, b) {
      if (a.value === '' || b.value === '') {
        if (a.value === b.value) { return a.position - b.position; }
        return a.value === '' ? 1 : -1;
      }
      var order = compareValues(a.value, b.value);
      return (ascending ? order : -order) || a.position - b.position;
    });
    rows.forEach(function (entry) { body.appendChild(entry.row); });
  }

  function setUpSorting(table) {
    if (!table.tHead) { return; }
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (header, column) {
      if (header.hasAttribute('data-nosort')) { return; }
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.textContent = header.textContent;
      header.textContent = '';
      header.appendChild(button);
      button.addEventListener('click', function () {
        sortTable(table, column, header.getAttribute('aria-sort') !== 'ascending');
      });
    });
  }

  // Filtering the dashboard by status, level, owner, tier, staleness and
  // target. The filters live in the URL (`?status=not-ready&owner=payments`),
  // so a filtered view can be bookmarked and shared; the status counts and
  // the level distribution are links to such views.
  var FILTERS = ['status', 'level', 'owner', 'tier'];
  var SWITCHES = ['stale', 'below'];

  function setUpFilters() {
    var form = document.getElementById('filters');
    var table = document.getElementById('services');
    if (!form || !table) { return; }
    form.hidden = false;
    var count = document.getElementById('filter-count');

    function fromURL() {
      var params = new URLSearchParams(window.location.search);
      FILTERS.forEach(function (name) {
        var select = form.elements[name];
        if (!select) { return; }
        var wanted = params.get(name) || '';
        var known = Array.prototype.some.call(select.options, function (option) { return option.value === wanted; });
        select.value = known ? wanted : '';
      });
      SWITCHES.forEach(function (name) {
        if (form.elements[name]) { form.elements[name].checked = params.get(name) === 'yes'; }
      });
    }

    function toURL() {
      var params = new URLSearchParams(window.location.search);
      FILTERS.forEach(function (name) {
        var select = form.elements[name];
        if (select && select.value) { params.set(name, select.value); } else { params.delete(name); }
      });
      SWITCHES.forEach(function (name) {
        var box = form.elements[name];
        if (box && box.checked) { params.set(name, 'yes'); } else { params.delete(name); }
      });
      var query = params.toString();
      window.history.replaceState(null, '', window.location.pathname + (query ? '?' + query : '') + window.location.hash);
    }

    function value(name) { return form.elements[name] ? form.elements[name].value : ''; }
    function checked(name) { return form.elements[name] ? form.elements[name].checked : false; }

    function apply() {
      var status = value('status'), level = value('level'), owner = value('owner'), tier = value('tier');
      var staleOnly = checked('stale'), belowOnly = checked('below');
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var visible = (!status || row.getAttribute('data-status') === status) &&
          (!level || row.getAttribute('data-level') === level) &&
          (!owner || row.getAttribute('data-owner') === owner) &&
          (!tier || row.getAttribute('data-tier') === tier) &&
          (!staleOnly || row.getAttribute('data-stale') === 'yes') &&
          (!belowOnly || row.getAttribute('data-below-target') === 'yes');
        row.hidden = !visible;
        if (visible) { shown += 1; }
      });
      var total = table.tBodies[0].rows.length;
      count.textContent = shown ? shown + ' of ' + total + ' shown' : 'No service matches these filters (0 of ' + total + ')';
      Array.prototype.forEach.call(document.querySelectorAll('a[data-filter]'), function (link) {
        var name = link.getAttribute('data-filter');
        var current = SWITCHES.indexOf(name) !== -1 ? checked(name) : value(name) === link.getAttribute('data-value');
        if (current) { link.setAttribute('aria-current', 'true'); } else { link.removeAttribute('aria-current'); }
      });
    }

    form.addEventListener('change', function () { toURL(); apply(); });
    form.addEventListener('submit', function (event) { event.preventDefault(); });
    // A count link filters in place; pressed again, it clears its filter.
    Array.prototype.forEach.call(document.querySelectorAll('a[data-filter]'), function (link) {
      link.addEventListener('click', function (event) {
        var control = form.elements[link.getAttribute('data-filter')];
        if (!control) { return; }
        event.preventDefault();
        if (control.type === 'checkbox') {
          control.checked = !control.checked;
        } else {
          var wanted = link.getAttribute('data-value');
          control.value = control.value === wanted ? '' : wanted;
        }
        toURL();
        apply();
        // Show what the filter did: the table may be a screen or more below.
        var heading = document.getElementById('services-heading') || table;
        if (heading.getBoundingClientRect().top > window.innerHeight * 0.6) { heading.scrollIntoView(); }
      });
    });
    window.addEventListener('popstate', function () { fromURL(); apply(); });
    fromURL();
    apply();
  }

  document.addEventListener('DOMContentLoaded', function () {
    setUpSearch();
    Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), setUpSorting);
    setUpFilters();
  });
})();

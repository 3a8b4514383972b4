// Preflight's built-in theme script: search, and sorting and filtering of
// service tables. Every page works without it; it only adds convenience.
(function () {
  'use strict';

  // Search: fetch the index written at build time, show matching links.
  function setUpSearch() {
    var input = document.getElementById('search-input');
    var results = document.getElementById('search-results');
    if (!input || !results) { return; }
    var root = document.body.getAttribute('data-root') || '';
    var index = null;
    var loading = null;

    function load() {
      if (!loading) {
        loading = fetch(input.getAttribute('data-index'))
          .then(function (response) { return response.json(); })
          .then(function (entries) { index = entries; })
          .catch(function () { index = []; });
      }
      return loading;
    }

    function show() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      results.textContent = '';
      if (!words.length || !index) { results.hidden = true; return; }
      var matches = index.filter(function (entry) {
        var text = (entry.title + ' ' + entry.keywords + ' ' + entry.kind).toLowerCase();
        return words.every(function (word) { return text.indexOf(word) !== -1; });
      }).slice(0, 12);
      matches.forEach(function (entry) {
        var item = document.createElement('li');
        var link = document.createElement('a');
        link.href = root + entry.url;
        link.textContent = entry.title;
        var kind = document.createElement('span');
        kind.className = 'kind';
        kind.textContent = ' ' + entry.kind;
        item.appendChild(link);
        item.appendChild(kind);
        results.appendChild(item);
      });
      if (!matches.length) {
        var none = document.createElement('li');
        none.textContent = 'No matches';
        results.appendChild(none);
      }
      results.hidden = false;
    }

    input.addEventListener('focus', load);
    input.addEventListener('input', function () { load().then(show); });
    input.form.addEventListener('submit', function (event) {
      event.preventDefault();
      var first = results.querySelector('a');
      if (first) { window.location.href = first.href; }
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') { results.hidden = true; }
    });
  }

  // Sorting: headers of a `sortable` table become buttons; cells carry data-sort.
  function setUpSorting(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (header, column) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.textContent = header.textContent;
      header.textContent = '';
      header.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = header.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
        header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute('data-sort') || '';
          var y = b.cells[column].getAttribute('data-sort') || '';
          var nx = parseFloat(x), ny = parseFloat(y);
          var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  // Filtering the dashboard by status, owner, tier, staleness and target.
  function setUpFilters() {
    var form = document.getElementById('filters');
    var table = document.getElementById('services');
    if (!form || !table) { return; }
    form.hidden = false;
    var count = document.getElementById('filter-count');
    function apply() {
      var status = form.elements.status.value;
      var owner = form.elements.owner.value;
      var tier = form.elements.tier.value;
      var staleOnly = form.elements.stale.checked;
      var belowOnly = form.elements.below ? form.elements.below.checked : false;
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var visible = (!status || row.getAttribute('data-status') === status) &&
          (!owner || row.getAttribute('data-owner') === owner) &&
          (!tier || row.getAttribute('data-tier') === tier) &&
          (!staleOnly || row.getAttribute('data-stale') === 'yes') &&
          (!belowOnly || row.getAttribute('data-below-target') === 'yes');
        row.hidden = !visible;
        if (visible) { shown += 1; }
      });
      count.textContent = shown + ' of ' + table.tBodies[0].rows.length + ' shown';
    }
    form.addEventListener('change', apply);
    form.addEventListener('submit', function (event) { event.preventDefault(); });
    apply();
  }

  document.addEventListener('DOMContentLoaded', function () {
    setUpSearch();
    Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), setUpSorting);
    setUpFilters();
  });
})();

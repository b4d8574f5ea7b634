/**
 * The report page's one script, inlined: filters by target, verdict and tag over the scenario × target
 * matrix and the result list, counts of what is shown (in total, and in each heading: "3 of 5 shown"),
 * and opening a result when a link leads to it. Plain ES2017 and the DOM, no framework. Without it the
 * page still shows everything; the filter bar is hidden until the script reveals it, so nobody clicks
 * controls that do nothing.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;
  var results = Array.prototype.slice.call(document.querySelectorAll('details.result'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('section.group'));
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.grid-row'));
  var columns = Array.prototype.slice.call(document.querySelectorAll('.grid [data-column]'));
  var shown = document.getElementById('shown');
  var matrixCount = document.querySelector('#matrix .count');

  /** "(5)" when all are shown, "(3 of 5 shown)" while filters hide some. */
  function setCount(element, n) {
    var total = Number(element.getAttribute('data-total'));
    element.textContent = n === total ? '(' + total + ')' : '(' + n + ' of ' + total + ' shown)';
  }

  function values(name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]'))
      .filter(function (input) { return input.checked; })
      .map(function (input) { return input.value; });
  }
  function hasTag(element, tag) {
    return tag === '' || (' ' + element.getAttribute('data-tags') + ' ').indexOf(' ' + tag + ' ') >= 0;
  }
  function apply() {
    var targets = values('target');
    var verdicts = values('verdict');
    var tag = form.elements.namedItem('tag').value;
    var wanted = function (element) {
      return targets.indexOf(element.getAttribute('data-target')) >= 0 && verdicts.indexOf(element.getAttribute('data-verdict')) >= 0;
    };
    var count = 0;
    results.forEach(function (result) {
      var show = wanted(result) && hasTag(result, tag);
      result.hidden = !show;
      if (show) count += 1;
    });
    groups.forEach(function (group) {
      var n = group.querySelectorAll('details.result:not([hidden])').length;
      group.hidden = n === 0;
      setCount(group.querySelector('h2 .count'), n);
    });
    var rowCount = 0;
    rows.forEach(function (row) {
      var cells = Array.prototype.slice.call(row.querySelectorAll('td[data-verdict]'));
      row.hidden = !(hasTag(row, tag) && cells.some(wanted));
      if (!row.hidden) rowCount += 1;
    });
    if (matrixCount) setCount(matrixCount, rowCount);
    columns.forEach(function (cell) {
      cell.hidden = targets.indexOf(cell.getAttribute('data-column')) < 0;
    });
    shown.textContent = count + ' of ' + results.length + ' results shown';
  }
  function openFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id === '' ? null : document.getElementById(id);
    if (target && target.tagName === 'DETAILS') {
      var group = target.closest('section.group');
      if (group) group.hidden = false;
      target.scrollIntoView();
      target.hidden = false;
      target.open = true;
    }
  }
  form.hidden = false;
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  window.addEventListener('hashchange', openFromHash);
  apply();
  openFromHash();
})();
`;

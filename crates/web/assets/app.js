// Small progressive enhancement; every page works without it.
// - selects marked data-autosubmit submit their form on change;
// - forms marked data-confirm ask before submitting.
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
    el.form.submit();
  }
});
document.addEventListener("submit", function (e) {
  var form = e.target;
  var msg = form && form.getAttribute && form.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) {
    e.preventDefault();
  }
});

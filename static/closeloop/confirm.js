/* <form data-confirm="question">: asks the question before the form is sent (instead of an inline onsubmit handler,
 * which the Content-Security-Policy refuses). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);
})();

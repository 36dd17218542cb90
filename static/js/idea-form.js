// The public idea form: live character counters for the title and the idea, and a new CAPTCHA
// picture on demand. Without JavaScript the form still works (the counters show the limit).
(function () {
  "use strict";

  function counter(el) {
    var field = document.getElementById(el.getAttribute("data-count-for"));
    if (!field) { return; }
    var limit = parseInt(field.getAttribute("maxlength") || field.getAttribute("data-counter"), 10);
    function update() {
      var n = Array.from(field.value).length;
      el.textContent = n + " / " + limit;
      el.classList.toggle("text-danger", n > limit);
      el.classList.toggle("fw-semibold", n > limit * 0.9);
    }
    field.addEventListener("input", update);
    update();
  }

  function captchaRefresh(button) {
    button.addEventListener("click", function () {
      var box = button.closest(".idea-captcha");
      fetch(button.getAttribute("data-captcha-refresh"), {
        headers: { "X-Requested-With": "XMLHttpRequest" },
        credentials: "same-origin"
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || !box) { return; }
          var img = box.querySelector("img.captcha");
          var key = box.querySelector("input[type=hidden][name$='_0']");
          var answer = box.querySelector("input[type=text][name$='_1']");
          if (img) { img.src = data.image_url; }
          if (key) { key.value = data.key; }
          if (answer) { answer.value = ""; answer.focus(); }
        })
        .catch(function () { /* keep the old picture */ });
    });
  }

  document.querySelectorAll("[data-count-for]").forEach(counter);
  document.querySelectorAll("[data-captcha-refresh]").forEach(captchaRefresh);
})();

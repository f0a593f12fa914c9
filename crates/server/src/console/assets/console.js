// Portcullis console: small progressive enhancements (the pages work without them).
// Served from /console/assets/ because the Content-Security-Policy allows no inline script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Ask before destructive actions.
  for (const button of document.querySelectorAll("[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
  // Copy a secret to the clipboard.
  for (const button of document.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", () => {
      const source = document.getElementById(button.dataset.copy);
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent.trim()).then(() => {
          button.textContent = "Copied";
        });
      }
    });
  }
  // The root user signs in without a user name.
  const form = document.getElementById("signin-form");
  if (form) {
    const field = form.querySelector(".user-field");
    const sync = () => {
      const root = form.querySelector("input[name=kind]:checked")?.value === "root";
      field.hidden = root;
    };
    for (const radio of form.querySelectorAll("input[name=kind]")) radio.addEventListener("change", sync);
    sync();
  }
});

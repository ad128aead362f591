// Copy buttons of the welfare-report package. Without JavaScript the buttons stay hidden and the
// text is selected and copied as any text on the page.
(function () {
  var status = document.getElementById("copy-status");
  var buttons = document.querySelectorAll("button[data-copy]");
  if (!buttons.length) return;

  function say(message) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  // The text as shown: paragraphs on their own lines, table cells separated by tabs (pastes into
  // a document or a spreadsheet); charts are left out, their numbers are in the tables.
  function textOf(source) {
    source.classList.add("copying");
    var text = source.innerText;
    source.classList.remove("copying");
    return text.replace(/\n{3,}/g, "\n\n").trim();
  }

  // The button itself shows that the copy worked, for a while: the live region is for screen readers.
  function shown(button) {
    if (!button.dataset.label) button.dataset.label = button.textContent;
    button.textContent = button.getAttribute("data-copied");
    button.classList.add("copied");
    window.clearTimeout(button.copiedTimer);
    button.copiedTimer = window.setTimeout(function () {
      button.textContent = button.dataset.label;
      button.classList.remove("copied");
    }, 2500);
  }

  function select(source) {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "copy-buffer";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyWithSelection(text); });
    }
    return copyWithSelection(text);
  }

  buttons.forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(textOf(source)).then(function () {
        say(status.getAttribute("data-done"));
        shown(button);
      }, function () {
        select(source);
        say(status.getAttribute("data-failed"));
      });
    });
  });
})();

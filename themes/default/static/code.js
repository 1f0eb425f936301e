/* esiin default theme: code blocks (`<pre class="code" tabindex="0">`,
 * written by src/render/markdown.rs).
 *
 * A code block is a Tab stop so that a keyboard can scroll it (WCAG 2.1.1;
 * axe's `scrollable-region-focusable`). A block that fits has nothing to
 * scroll, and a stop on it only makes the page longer to Tab through:
 * this takes such blocks out of the Tab order, and puts one back when a
 * narrower window makes it scroll. Without this script every block stays
 * a stop, which is correct, only slower.
 */
(function () {
  "use strict";

  function update() {
    var blocks = document.querySelectorAll("pre.code");
    for (var i = 0; i < blocks.length; i++) {
      var pre = blocks[i];
      var scrolls = pre.scrollWidth > pre.clientWidth + 1 || pre.scrollHeight > pre.clientHeight + 1;
      if (scrolls) pre.setAttribute("tabindex", "0");
      /* The block that has the focus keeps its stop until it loses it. */
      else if (document.activeElement !== pre) pre.removeAttribute("tabindex");
    }
  }

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      update();
    });
  });
  update();
})();

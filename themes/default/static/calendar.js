/* esiin default theme: the "Subscribe" link of a calendar feed when the
 * handbook's `base_url` has no origin (`base_url: /`).
 *
 * A `webcal:` URL needs a host, and with a path-only `base_url` only the
 * browser knows it. The page keeps such a link `hidden`, with the feed's
 * path in `data-webcal-path`; this script gives it the page's own host and
 * shows it. Without the script there is no subscribe link, and the
 * download beside it still works. Nothing fetched.
 */
(function () {
  "use strict";

  if (location.protocol !== "http:" && location.protocol !== "https:") return;
  var links = document.querySelectorAll("a[data-webcal-path]");
  for (var i = 0; i < links.length; i++) {
    var link = links[i];
    link.href = "webcal://" + location.host + link.getAttribute("data-webcal-path");
    link.hidden = false;
  }
})();

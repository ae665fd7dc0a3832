/* The search page of a site written by ptgraph site.
 *
 * The index is built by ptgraph (Python lunr) and loaded from search-index.js as
 * window.PTGRAPH_SEARCH, so the search works from file:// too, where a page may
 * not fetch a file. Every word of the query must match (a phrase from a quote
 * finds that quote); when nothing does, any word will do. Results are built with
 * the DOM, never as HTML text, so what the theory says is shown as written.
 */
(function () {
  "use strict";
  var data = window.PTGRAPH_SEARCH;
  var form = document.querySelector("form.search-page");
  if (!data || !form || !window.lunr) { return; }
  var index = lunr.Index.load(data.index);
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");

  function terms(text) {
    // the indexing pipeline's trimmer and stop words; the index's search pipeline stems
    return lunr.tokenizer(text).map(function (token) {
      return lunr.stopWordFilter(lunr.trimmer(token));
    }).filter(function (token) { return token && token.toString().length > 0; });
  }

  function search(text) {
    var words = terms(text);
    if (!words.length) { return []; }
    var every = index.query(function (q) {
      words.forEach(function (w) {
        q.term(w.toString(), {presence: lunr.Query.presence.REQUIRED});
      });
    });
    if (every.length) { return every; }
    return index.query(function (q) {
      words.forEach(function (w) { q.term(w.toString()); });
    });
  }

  function snippet(text) {
    // the first 240 characters or so, cut between words, never inside one
    if (text.length <= 240) { return text; }
    var head = text.slice(0, 241);
    var space = head.search(/\s\S*$/);
    return (space > 160 ? head.slice(0, space) : head.slice(0, 240)).replace(/\s+$/, "") + "…";
  }

  function show(text) {
    list.textContent = "";
    if (!text.trim()) { status.textContent = ""; return; }
    var found = search(text);
    status.textContent = found.length + (found.length === 1 ? " result" : " results") +
      " for \u201c" + text + "\u201d";
    found.slice(0, 100).forEach(function (hit) {
      var doc = data.docs[hit.ref];
      var item = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = doc.kind;
      var link = document.createElement("a");
      link.href = doc.url;
      link.textContent = doc.title;
      var heading = document.createElement("p");
      heading.className = "hit";
      heading.appendChild(kind);
      heading.appendChild(document.createTextNode(" "));
      heading.appendChild(link);
      item.appendChild(heading);
      if (doc.text) {
        var body = document.createElement("p");
        body.className = "as-written";
        body.textContent = snippet(doc.text);
        item.appendChild(body);
      }
      if (doc.links && doc.links.length) {
        var where = document.createElement("p");
        where.appendChild(document.createTextNode("Quoted for "));
        doc.links.forEach(function (l, i) {
          if (i) { where.appendChild(document.createTextNode(", ")); }
          var a = document.createElement("a");
          a.href = l.url;
          a.textContent = l.text;
          where.appendChild(a);
        });
        item.appendChild(where);
      }
      list.appendChild(item);
    });
  }

  var asked = new URLSearchParams(window.location.search).get("q") || "";
  input.value = asked;
  show(asked);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    try {  // keep the query in the address, for the back button; file:// may refuse
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      window.history.replaceState(null, "", url.toString());
    } catch (e) { /* the results are shown all the same */ }
  });
})();

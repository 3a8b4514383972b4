import PreflightCore

/// What `serve` adds to every HTML page: the reload script and, after a failed
/// build, an overlay listing the errors. Built pages on disk never carry these.
enum LiveReload {
    static func inject(into page: [UInt8], snapshot: SiteState.Snapshot) -> [UInt8] {
        var extra = "<script src=\"\(snapshot.basePath)__preflight/reload.js\" data-base=\"\(snapshot.basePath)\" "
            + "data-generation=\"\(snapshot.generation)\" defer></script>\n"
        if !snapshot.errors.isEmpty {
            extra += "<link rel=\"stylesheet\" href=\"\(snapshot.basePath)__preflight/overlay.css\">\n"
            extra += "<div id=\"preflight-errors\" role=\"alert\"><h2>The site has errors</h2>"
            extra += snapshot.site == nil
                ? "<p>Nothing has built yet: fix these and this page reloads with the site.</p><pre>"
                : "<p>Showing the last good build until they are fixed.</p><pre>"
            extra += escapeHTML(snapshot.errors.joined(separator: "\n"))
            extra += "</pre></div>\n"
        }
        let marker = Array("</body>".utf8)
        guard let index = lastIndex(of: marker, in: page) else { return page + Array(extra.utf8) }
        return Array(page[..<index]) + Array(extra.utf8) + Array(page[index...])
    }

    private static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.count - needle.count
        while i >= 0 {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }

    static let script = """
        (function () {
          var me = document.currentScript;
          var base = me.getAttribute('data-base') || '/';
          var loaded = me.getAttribute('data-generation');
          var source = new EventSource(base + '__preflight/events');
          source.addEventListener('hello', function (e) { if (e.data !== loaded) { location.reload(); } });
          source.addEventListener('reload', function () { location.reload(); });
        })();

        """

    static let overlayStyle = """
        #preflight-errors { position: fixed; inset: auto 1rem 1rem 1rem; max-height: 50vh; overflow: auto;
          background: #2b0b0b; color: #ffd7d7; border: 2px solid #ff6b6b; border-radius: .5rem;
          padding: .75rem 1rem; font: 14px/1.4 ui-monospace, monospace; z-index: 2147483647; }
        #preflight-errors h2 { margin: 0 0 .25rem; font-size: 1rem; }
        #preflight-errors pre { white-space: pre-wrap; margin: .5rem 0 0; }

        """
}

/// Content types by file extension.
enum ContentTypes {
    static func of(_ path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "csv": return "text/csv; charset=utf-8"
        case "xml": return "application/xml"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "txt": return "text/plain; charset=utf-8"
        case "woff2": return "font/woff2"
        default: return "application/octet-stream"
        }
    }
}

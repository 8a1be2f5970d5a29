package httpapi

import (
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	// anyAbsoluteURL finds http(s) and protocol-relative URLs in text we wrote.
	anyAbsoluteURL = regexp.MustCompile(`(?i)https?://|["'(=]\s*//[a-z0-9]`)
	// attrURL finds the URLs an HTML page loads or links to.
	attrURL = regexp.MustCompile(`(?i)\b(?:src|href|action)\s*=\s*["']([^"']*)["']`)
	// loadingAbsoluteURL finds an absolute URL where a script or stylesheet would load it. Vendor
	// bundles cannot be free of URL text (XML namespaces such as http://www.w3.org/2000/svg, links in
	// error messages, GraphiQL's logo and docs links, which load nothing unless clicked), so for them
	// only these positions are checked; the page's Content-Security-Policy makes the browser refuse any
	// other host anyway.
	loadingAbsoluteURL = regexp.MustCompile(`(?i)(?:\bsrc\s*[=:]\s*|url\(\s*|@import\s+|\bimport\(\s*|importScripts\(\s*|\bfetch\(\s*)["']?(?:https?:)?//[^"')\s]*`)
)

// TestGraphiQLPage checks GraphiQL as this binary embeds it: the real bundle when `make assets` was
// run, otherwise the page saying how to build it.
func TestGraphiQLPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	rec := f.do(t, http.MethodGet, "/graphql", nil, echo.HeaderAccept, "text/html")
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get(echo.HeaderContentType))
	assert.Contains(t, rec.Header().Get("Content-Security-Policy"), "script-src 'self'")
	page := rec.Body.String()
	assert.NotRegexp(t, anyAbsoluteURL, page, "the page names no other host")

	if !f.server.ui.built {
		t.Log("GraphiQL bundle not built (run `make assets`): checking the placeholder page only")
		assert.Contains(t, page, "make assets")
		return
	}
	refs := attrURL.FindAllStringSubmatch(page, -1)
	require.Len(t, refs, 5, "a stylesheet and four scripts")
	pageURL, _ := url.Parse("http://crossdock.test/graphql")
	for _, m := range refs {
		ref, err := url.Parse(m[1])
		require.NoError(t, err)
		require.False(t, ref.IsAbs() || ref.Host != "" || strings.HasPrefix(m[1], "/"),
			"%s is relative to the page", m[1])
		target := pageURL.ResolveReference(ref)
		checkAsset(t, f, target.Path)
	}
}

// checkAsset fetches one asset the page references and checks its type and that it loads nothing from
// another host.
func checkAsset(t *testing.T, f fixture, urlPath string) {
	t.Helper()
	rec := f.do(t, http.MethodGet, urlPath, nil)
	require.Equal(t, http.StatusOK, rec.Code, urlPath)
	want := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}[path.Ext(urlPath)]
	require.NotEmpty(t, want, "%s: unexpected asset kind", urlPath)
	assert.Equal(t, want, rec.Header().Get(echo.HeaderContentType), urlPath)
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	assert.NotEmpty(t, rec.Header().Get("ETag"))
	assert.Positive(t, rec.Body.Len(), urlPath)

	body := rec.Body.String()
	if strings.HasSuffix(urlPath, "/crossdock-graphiql.js") {
		assert.Empty(t, anyAbsoluteURL.FindAllString(body, -1), "our init script names no host")
		return
	}
	assert.Empty(t, loadingAbsoluteURL.FindAllString(body, -1), "%s loads nothing from another host", urlPath)
}

// bundleFS is the embedded page files plus the given dist files, to test either state of the bundle
// whatever the working tree holds.
func bundleFS(t *testing.T, dist map[string]string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	for _, name := range []string{"graphiql/index.html", "graphiql/crossdock-graphiql.js", "graphiql/missing.html", "graphiql/dist/README.md"} {
		b, err := fs.ReadFile(embeddedAssets, name)
		require.NoError(t, err)
		m[name] = &fstest.MapFile{Data: b}
	}
	for name, body := range dist {
		m["graphiql/dist/"+name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}

func serverWith(t *testing.T, assets fs.FS) fixture {
	t.Helper()
	f := newFixture(t, nil)
	s, err := newServer(f.server.cfg, assets)
	require.NoError(t, err)
	f.server = s
	return f
}

func TestGraphiQLWithoutBundle(t *testing.T) {
	t.Parallel()
	for name, dist := range map[string]map[string]string{
		"none":    nil,
		"partial": {"graphiql.min.js": "window.GraphiQL = {};"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := serverWith(t, bundleFS(t, dist))

			rec := f.do(t, http.MethodGet, "/graphql", nil)
			require.Equal(t, http.StatusOK, rec.Code)
			assert.Contains(t, rec.Body.String(), "make assets")
			assert.NotRegexp(t, anyAbsoluteURL, rec.Body.String())

			rec = f.do(t, http.MethodGet, "/graphql/assets/graphiql.min.js", nil)
			assert.Equal(t, http.StatusNotFound, rec.Code, "a partial bundle is not served")
			assert.Equal(t, http.StatusNotFound, decodeProblem(t, rec).Status)

			rec = f.do(t, http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ __typename }"}`),
				echo.HeaderContentType, "application/json")
			require.Equal(t, http.StatusOK, rec.Code)
			assert.JSONEq(t, `{"data":{"__typename":"Query"}}`, rec.Body.String(), "GraphQL works without GraphiQL")
		})
	}
}

func TestGraphiQLWithBundle(t *testing.T) {
	t.Parallel()
	dist := map[string]string{}
	for name := range bundleFiles {
		dist[name] = "/* " + name + " */"
	}
	f := serverWith(t, bundleFS(t, dist))

	rec := f.do(t, http.MethodGet, "/graphql", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Body.String(), `<script src="graphql/assets/graphiql.min.js">`)
	for _, m := range attrURL.FindAllStringSubmatch(rec.Body.String(), -1) {
		checkAsset(t, f, "/"+m[1])
	}

	rec = f.do(t, http.MethodGet, "/graphql/assets/graphiql.min.css", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "/* graphiql.min.css */", rec.Body.String())
	rec = f.do(t, http.MethodGet, "/graphql/assets/graphiql.min.css", nil, "If-None-Match", rec.Header().Get("ETag"))
	assert.Equal(t, http.StatusNotModified, rec.Code, "browsers revalidate cheaply")

	for _, name := range []string{"README.md", ".gitignore", "..%2Findex.html", "missing.html"} {
		rec = f.do(t, http.MethodGet, "/graphql/assets/"+name, nil)
		assert.Equal(t, http.StatusNotFound, rec.Code, "%s is not an asset", name)
	}
}

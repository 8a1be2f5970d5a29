package httpapi

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossdock-hub/crossdock/adapters/problem"
)

// embeddedAssets holds the committed GraphiQL page and init script, and graphiql/dist: the vendor
// bundles web/graphiql/build.sh copies there at build time (`make assets`), or only its committed
// README when they were not built. "all:" keeps the pattern valid in that case.
//
//go:embed graphiql/index.html graphiql/crossdock-graphiql.js graphiql/missing.html all:graphiql/dist
var embeddedAssets embed.FS

// contentSecurityPolicy lets the GraphiQL page load scripts, styles and fonts from this server only and
// talk to no other host, so a browser enforces what the offline requirement promises. Inline styles
// are allowed because the page and the editor set some.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; " +
	"frame-ancestors 'none'"

type asset struct {
	body        []byte
	contentType string
	etag        string
}

// graphiqlAssets is what GET /graphql and /graphql/assets/ serve.
type graphiqlAssets struct {
	// page is GraphiQL's page, or the page that says how to build it.
	page  asset
	built bool
	// files are the scripts and stylesheet the page references, by the name in their URL.
	files map[string]asset
}

// bundleFiles are the vendor files build.sh copies into graphiql/dist; all of them make a built bundle.
var bundleFiles = map[string]string{
	"react.production.min.js":     "text/javascript; charset=utf-8",
	"react-dom.production.min.js": "text/javascript; charset=utf-8",
	"graphiql.min.js":             "text/javascript; charset=utf-8",
	"graphiql.min.css":            "text/css; charset=utf-8",
}

// loadGraphiQL reads the page and its assets from fsys once, at start, so a request never touches the
// file system and an incomplete bundle is detected before the first request.
func loadGraphiQL(fsys fs.FS) (graphiqlAssets, error) {
	var ui graphiqlAssets
	ui.files = make(map[string]asset, len(bundleFiles)+1)
	for name, ct := range bundleFiles {
		body, err := fs.ReadFile(fsys, "graphiql/dist/"+name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return graphiqlAssets{}, fmt.Errorf("read graphiql bundle %s: %w", name, err)
		}
		ui.files[name] = newAsset(body, ct)
	}
	ui.built = len(ui.files) == len(bundleFiles)
	if !ui.built {
		// A partial bundle would render a broken page; serve none of it.
		clear(ui.files)
	}

	pageName := "graphiql/missing.html"
	if ui.built {
		pageName = "graphiql/index.html"
		init, err := fs.ReadFile(fsys, "graphiql/crossdock-graphiql.js")
		if err != nil {
			return graphiqlAssets{}, fmt.Errorf("read graphiql init script: %w", err)
		}
		ui.files["crossdock-graphiql.js"] = newAsset(init, "text/javascript; charset=utf-8")
	}
	page, err := fs.ReadFile(fsys, pageName)
	if err != nil {
		return graphiqlAssets{}, fmt.Errorf("read %s: %w", pageName, err)
	}
	ui.page = newAsset(page, "text/html; charset=utf-8")
	return ui, nil
}

func newAsset(body []byte, contentType string) asset {
	sum := sha256.Sum256(body)
	return asset{body: body, contentType: contentType, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

// graphiqlPage serves GET /graphql without a query.
func (s *Server) graphiqlPage(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	serveAsset(c, s.ui.page)
	return nil
}

// graphiqlAsset serves GET /graphql/assets/:name: only the files the page references.
func (s *Server) graphiqlAsset(c echo.Context) error {
	a, ok := s.ui.files[c.Param("name")]
	if !ok {
		return problem.New(http.StatusNotFound, "No such GraphiQL asset.")
	}
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	serveAsset(c, a)
	return nil
}

// serveAsset writes a with an ETag and no-cache: the files change only with the binary, so browsers
// revalidate cheaply (304) instead of keeping an old bundle after an upgrade.
func serveAsset(c echo.Context, a asset) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, a.contentType)
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(c.Response(), c.Request(), "", time.Time{}, bytes.NewReader(a.body))
}

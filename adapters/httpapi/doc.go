// Package httpapi is Crossdock's HTTP server: one echo instance carrying the health and readiness
// probes, the GraphQL endpoint, the offline GraphiQL page, and the routes other adapters mount on it.
//
// Every error a handler returns, whoever wrote the handler, reaches the single error handler installed
// here and is answered as an RFC 9457 problem (application/problem+json): a *problem.Problem as it is,
// an *echo.HTTPError with its status, and anything else as a 500 whose cause is logged, never sent.
//
// GraphiQL and the React bundles it needs are embedded into the binary from graphiql/dist, which
// `make assets` fills from the npm registry at build time; the page loads nothing from another host.
package httpapi

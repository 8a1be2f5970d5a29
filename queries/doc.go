// Package queries is Crossdock's read side over GraphQL: the schema, its resolvers, and the limits a
// query must pass before it runs.
//
// Each resolver reads a projection through a small interface declared here, at the consumer (see
// TimelineReader), so this package never imports a read model's storage. Service.Execute takes a request
// as the GraphQL-over-HTTP spec carries it and returns a Result that says whether execution started,
// which the HTTP adapter needs to pick a status code.
package queries

// Package client is a small REST client for st2go's (and StackStorm's) API
// v1: it resolves the API, auth and stream base URLs, adds the
// X-Auth-Token / St2-Api-Key headers, decodes JSON documents keeping their
// key order, turns non-2xx answers into [*APIError] values carrying the
// status code and the server's faultstring, and reads the server-sent event
// stream.
//
// It talks HTTP only and imports no server package, so the st2 CLI
// (internal/cli) can depend on it without pulling in the server. Anything
// may import it.
package client

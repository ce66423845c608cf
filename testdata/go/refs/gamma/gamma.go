// Package gamma: fields, keyed literals, embedding, values, and method names
// of the standard library on receivers of unknown type.
package gamma

import (
	"net/http"

	al "example.com/refs/alpha"
)

// Base is embedded in Server.
type Base struct {
	ID int
}

// Describe is promoted to Server.
func (b *Base) Describe() string { return "base" }

// Server embeds Base.
type Server struct {
	Base
	Addr string
}

// Set shares its name with http.Header.Set.
func (s *Server) Set(k, v string) {}

// Limit is a package-level value.
var Limit = 3

// Handler is used as a value.
func Handler(w http.ResponseWriter, r *http.Request) {
	r.Header.Set("k", "v")
}

// Serve uses fields through embedding, literal keys and values.
func Serve(h func(http.ResponseWriter, *http.Request)) int {
	s := &Server{Addr: ":80", Base: Base{ID: 1}}
	s.Describe()
	cfg := al.NewConfig()
	_ = cfg.Name
	Serve(Handler)
	return s.ID + Limit
}

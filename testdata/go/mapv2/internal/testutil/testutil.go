// Package testutil holds shims the tests use.
package testutil

import "example.com/mapv2/sim"

// FakeRequest is a request for tests.
func FakeRequest() *sim.Request { return sim.NewRequest("fake", 1) }

// FakeQueue is a queue for tests.
func FakeQueue() *sim.Queue { return &sim.Queue{} }

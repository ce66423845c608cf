package app

import (
	"testing"

	al "example.com/refs/alpha"
)

func TestRun(t *testing.T) {
	c := al.Config{Name: "test"}
	if al.NewConfig().Name == c.Name {
		t.Fatal("same")
	}
}

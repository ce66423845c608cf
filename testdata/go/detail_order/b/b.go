// Package b reads records.
package b

import "example.com/order/model"

// Key reads a record's key.
func Key(r model.Record) string {
	return r.Key
}

// Package a makes records.
package a

import "example.com/order/model"

// Make builds one record.
func Make(k string) model.Record {
	return model.Record{Key: k}
}

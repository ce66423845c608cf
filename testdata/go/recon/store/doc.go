// Package store keeps key/value pairs behind pluggable drivers.
package store

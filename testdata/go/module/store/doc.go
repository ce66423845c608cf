// Package store keeps orders in memory. It must never block readers.
package store

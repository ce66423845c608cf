//go:build linux

package codec

// PageSize is the Linux page size.
const PageSize = 4096

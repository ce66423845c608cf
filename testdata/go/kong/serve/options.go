package serve

import (
	"time"

	"example.com/tool/style"
)

// Options are the serve command's flags.
type Options struct {
	Root       string        `arg:"" help:"Directory to serve"`
	ListenAddr string        `help:"Address" default:":8080" env:"TOOL_LISTEN"`
	MaxHTTPConns int         `help:"Connection cap" default:"64"`
	Timeout    time.Duration `help:"Idle timeout" default:"30s"`
	Index      bool          `help:"List directories" default:"true" negatable:""`
	Internal   string        `kong:"-"`
	cache      map[string]string

	Banner style.Styles `embed:"" prefix:"banner." envprefix:"TOOL_BANNER_"`
}

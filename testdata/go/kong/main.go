package main

import (
	"github.com/alecthomas/kong"

	"example.com/tool/serve"
)

// CLI is the root command.
type CLI struct {
	Version kong.VersionFlag `short:"v" help:"Print the version"`
	Debug   bool             `help:"Log more" env:"TOOL_DEBUG"`

	Serve serve.Options `cmd:"" help:"Serve files"`
	Admin AdminCmd      `cmd:"" name:"adm" help:"Administer"`
}

// AdminCmd groups admin commands.
type AdminCmd struct {
	Reset ResetCmd `cmd:"" help:"Reset the store"`
}

// ResetCmd resets.
type ResetCmd struct {
	Force bool `short:"f" help:"No questions"`
}

func main() {
	var cli CLI
	ctx := kong.Parse(&cli)
	_ = ctx
}

package style

// Styles are flags every command embeds under its own prefix.
type Styles struct {
	Foreground string `help:"Foreground colour" default:""`
	Bold       bool   `help:"Bold text"`
}

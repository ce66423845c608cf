// goref: references of named objects with go/types (stdlib only).
// usage: goref ROOT MODPATH SYMBOL...   SYMBOL = importpath.Name | importpath.Type.Method
// Prints "FILES\tpath" for each file type-checked, then "SYMBOL\tpath:line" per use.
package main

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

var (
	fset    = token.NewFileSet()
	root    string
	modpath string
	pkgs    = map[string]*types.Package{}
	infos   = map[string]*types.Info{}
	files   = map[string][]*ast.File{}
	fake    = importer.Default()
)

type imp struct{}

func (imp) Import(path string) (*types.Package, error) { return load(path), nil }

func load(path string) *types.Package {
	if p, ok := pkgs[path]; ok {
		return p
	}
	if path != modpath && !strings.HasPrefix(path, modpath+"/") {
		if p, err := fake.Import(path); err == nil {
			pkgs[path] = p
			return p
		}
		p := types.NewPackage(path, filepath.Base(path))
		p.MarkComplete()
		pkgs[path] = p
		return p
	}
	dir := filepath.Join(root, strings.TrimPrefix(strings.TrimPrefix(path, modpath), "/"))
	bp, err := build.Default.ImportDir(dir, 0)
	p := types.NewPackage(path, filepath.Base(path))
	pkgs[path] = p
	if err != nil && bp == nil {
		return p
	}
	var fs []*ast.File
	for _, f := range bp.GoFiles {
		af, err := parser.ParseFile(fset, filepath.Join(dir, f), nil, parser.ParseComments)
		if err == nil {
			fs = append(fs, af)
		}
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	conf := types.Config{Importer: imp{}, Error: func(error) {}}
	checked, _ := conf.Check(path, fset, fs, info)
	if checked != nil {
		pkgs[path] = checked
	}
	infos[path] = info
	files[path] = fs
	return pkgs[path]
}

func main() {
	root, modpath = os.Args[1], os.Args[2]
	// every package directory of the module
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		if fi.IsDir() {
			n := fi.Name()
			if p != root && (strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") || n == "testdata" || n == "vendor") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil && p != root {
				return filepath.SkipDir
			}
			rel, _ := filepath.Rel(root, p)
			ip := modpath
			if rel != "." {
				ip = modpath + "/" + filepath.ToSlash(rel)
			}
			load(ip)
		}
		return nil
	})
	var fl []string
	for _, fs := range files {
		for _, f := range fs {
			rel, _ := filepath.Rel(root, fset.Position(f.Pos()).Filename)
			fl = append(fl, rel)
		}
	}
	sort.Strings(fl)
	for _, f := range fl {
		fmt.Printf("FILES\t%s\n", f)
	}
	for _, sym := range os.Args[3:] {
		slash := strings.LastIndex(sym, "/")
		rest := sym[slash+1:]
		dot := strings.Index(rest, ".")
		pkgPath, names := sym[:slash+1+dot], strings.Split(rest[dot+1:], ".")
		p := pkgs[pkgPath]
		if p == nil {
			fmt.Fprintln(os.Stderr, "no package", pkgPath)
			continue
		}
		obj := p.Scope().Lookup(names[0])
		if obj == nil {
			fmt.Fprintln(os.Stderr, "no object", sym)
			continue
		}
		if len(names) == 2 {
			o, _, _ := types.LookupFieldOrMethod(obj.Type(), true, p, names[1])
			obj = o
		}
		var out []string
		for _, info := range infos {
			for id, o := range info.Uses {
				if o == obj {
					pos := fset.Position(id.Pos())
					rel, _ := filepath.Rel(root, pos.Filename)
					out = append(out, fmt.Sprintf("%s\t%s:%d", sym, rel, pos.Line))
				}
			}
		}
		sort.Strings(out)
		for _, l := range out {
			fmt.Println(l)
		}
	}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/types"
	"go/importer"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var _ = []interface{}{bufio.NewReader, bytes.NewBuffer, context.Background, json.Marshal, errors.New, flag.Parse, fmt.Println, io.Copy, log.Println, http.Get, url.Parse, os.Open, exec.Command, reflect.TypeOf, regexp.MustCompile, sort.Ints, strings.Split, sync.NewCond, atomic.AddInt32, testing.Short, time.Now}

func main() {
	imp := importer.Default()
	names := map[string]bool{}
	for _, p := range []string{"bufio", "bytes", "context", "encoding", "encoding/json", "errors", "flag", "fmt", "hash", "io", "io/fs", "log", "net/http", "net/url", "os", "os/exec", "path/filepath", "regexp", "sort", "strconv", "strings", "sync", "sync/atomic", "testing", "time"} {
		pkg, err := imp.Import(p)
		if err != nil { fmt.Fprintln(os.Stderr, p, err); continue }
		sc := pkg.Scope()
		for _, n := range sc.Names() {
			obj := sc.Lookup(n)
			tn, ok := obj.(*types.TypeName)
			if !ok || !obj.Exported() { continue }
			t := tn.Type()
			for _, typ := range []types.Type{t, types.NewPointer(t)} {
				ms := types.NewMethodSet(typ)
				for i := 0; i < ms.Len(); i++ { names[ms.At(i).Obj().Name()] = true }
			}
			if it, ok := t.Underlying().(*types.Interface); ok {
				for i := 0; i < it.NumMethods(); i++ { names[it.Method(i).Name()] = true }
			}
		}
	}
	var out []string
	for n := range names { out = append(out, n) }
	sort.Strings(out)
	for _, n := range out { fmt.Println(n) }
}

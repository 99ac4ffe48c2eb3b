package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Block is a block of a configuration file: its type, labels, the source text of each attribute
// of its body, and its nested blocks.
type Block struct {
	Type   string
	Labels []string
	Attrs  map[string]string
	Blocks []Block
	Line   int
}

// parseFile reads the top-level blocks of a Terraform configuration file.
func parseFile(path string, src []byte) ([]Block, error) {
	p := &parser{path: path, src: src, line: 1}
	var blocks []Block
	for {
		p.skipSpace(true)
		if p.eof() {
			return blocks, nil
		}
		b, isBlock, err := p.item()
		if err != nil {
			return nil, err
		}
		if isBlock {
			blocks = append(blocks, b)
		}
	}
}

type parser struct {
	path string
	src  []byte
	pos  int
	line int
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peek(off int) byte {
	if p.pos+off < len(p.src) {
		return p.src[p.pos+off]
	}
	return 0
}

func (p *parser) advance(n int) {
	for i := 0; i < n && !p.eof(); i++ {
		if p.src[p.pos] == '\n' {
			p.line++
		}
		p.pos++
	}
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", p.path, p.line, fmt.Sprintf(format, args...))
}

// skipSpace skips blanks and comments, and newlines too when newlines is set. A line comment
// stops before its newline.
func (p *parser) skipSpace(newlines bool) {
	for !p.eof() {
		c := p.peek(0)
		switch {
		case c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n'):
			p.advance(1)
		case c == '#' || (c == '/' && p.peek(1) == '/'):
			for !p.eof() && p.peek(0) != '\n' {
				p.advance(1)
			}
		case c == '/' && p.peek(1) == '*':
			p.advance(2)
			for !p.eof() && (p.peek(0) != '*' || p.peek(1) != '/') {
				p.advance(1)
			}
			p.advance(2)
		default:
			return
		}
	}
}

func isIdentByte(c byte, first bool) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= utf8.RuneSelf ||
		(!first && (c == '-' || (c >= '0' && c <= '9')))
}

func (p *parser) ident() string {
	start := p.pos
	for !p.eof() && isIdentByte(p.peek(0), p.pos == start) {
		p.advance(1)
	}
	return string(p.src[start:p.pos])
}

// item reads one attribute or block at the current position. It returns the block, and whether it
// was one; a top-level attribute is read and dropped.
func (p *parser) item() (Block, bool, error) {
	line := p.line
	name := p.ident()
	if name == "" {
		return Block{}, false, p.errorf("expected a block or attribute name, found %q", string(p.peek(0)))
	}
	b, _, isBlock, err := p.afterName(name, line)
	return b, isBlock, err
}

// afterName reads what follows a name: `= expression` (an attribute, whose source text it
// returns) or labels and a body (a block).
func (p *parser) afterName(name string, line int) (Block, string, bool, error) {
	p.skipSpace(false)
	if p.peek(0) == '=' && p.peek(1) != '=' {
		p.advance(1)
		expr, err := p.expression()
		return Block{}, expr, false, err
	}
	b := Block{Type: name, Line: line, Attrs: map[string]string{}}
	for {
		p.skipSpace(false)
		switch c := p.peek(0); {
		case c == '"':
			lit, err := p.quoted()
			if err != nil {
				return Block{}, "", false, err
			}
			b.Labels = append(b.Labels, stringValue(lit))
		case c == '{':
			p.advance(1)
			err := p.body(&b)
			return b, "", true, err
		case c != 0 && isIdentByte(c, true):
			b.Labels = append(b.Labels, p.ident())
		default:
			return Block{}, "", false, p.errorf("expected = or a block's labels and { after %s", name)
		}
	}
}

// body reads a block body up to and including its closing brace.
func (p *parser) body(b *Block) error {
	for {
		p.skipSpace(true)
		if p.eof() {
			return p.errorf("the %s block that starts on line %d is not closed", b.Type, b.Line)
		}
		if p.peek(0) == '}' {
			p.advance(1)
			return nil
		}
		line := p.line
		name := p.ident()
		if name == "" {
			return p.errorf("expected an attribute or block name in the %s block, found %q", b.Type, string(p.peek(0)))
		}
		nested, expr, isBlock, err := p.afterName(name, line)
		switch {
		case err != nil:
			return err
		case isBlock:
			b.Blocks = append(b.Blocks, nested)
		default:
			if _, dup := b.Attrs[name]; dup {
				return fmt.Errorf("%s:%d: %s is set twice in the %s block", p.path, line, name, b.Type)
			}
			b.Attrs[name] = expr
		}
	}
}

// expression reads an attribute's value up to the end of its line (or a comment, or the closing
// brace of a one-line block) and returns its source text, trimmed.
func (p *parser) expression() (string, error) {
	p.skipSpace(false)
	start := p.pos
	depth := 0
	for !p.eof() {
		c := p.peek(0)
		switch {
		case c == '"':
			if _, err := p.quoted(); err != nil {
				return "", err
			}
			continue
		case c == '<' && p.peek(1) == '<' && (p.peek(2) == '-' || isIdentByte(p.peek(2), true)):
			if err := p.heredoc(); err != nil {
				return "", err
			}
			continue
		case c == '#' || (c == '/' && (p.peek(1) == '/' || p.peek(1) == '*')):
			if depth == 0 {
				return strings.TrimSpace(string(p.src[start:p.pos])), nil
			}
			p.skipSpace(false)
			continue
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			if depth == 0 {
				if c == '}' {
					return strings.TrimSpace(string(p.src[start:p.pos])), nil // one-line block
				}
				return "", p.errorf("unbalanced %q", string(c))
			}
			depth--
		case c == '\n' && depth == 0:
			return strings.TrimSpace(string(p.src[start:p.pos])), nil
		}
		p.advance(1)
	}
	if depth > 0 {
		return "", p.errorf("an expression is not closed at the end of the file")
	}
	return strings.TrimSpace(string(p.src[start:p.pos])), nil
}

// quoted reads a quoted template, with its escapes and ${…} / %{…} sequences, and returns its
// source text including the quotes.
func (p *parser) quoted() (string, error) {
	start, line := p.pos, p.line
	p.advance(1)
	for {
		if p.eof() || p.peek(0) == '\n' {
			p.line = line
			return "", p.errorf("a string is not closed on its line")
		}
		switch c := p.peek(0); {
		case c == '\\':
			p.advance(2)
		case c == '"':
			p.advance(1)
			return string(p.src[start:p.pos]), nil
		case (c == '$' || c == '%') && p.peek(1) == c && p.peek(2) == '{':
			p.advance(3) // $${ and %%{ are literal
		case (c == '$' || c == '%') && p.peek(1) == '{':
			p.advance(2)
			if err := p.template(); err != nil {
				return "", err
			}
		default:
			p.advance(1)
		}
	}
}

// template skips the inside of a ${…} or %{…} sequence up to and including its closing brace.
func (p *parser) template() error {
	depth := 0
	for !p.eof() {
		switch p.peek(0) {
		case '"':
			if _, err := p.quoted(); err != nil {
				return err
			}
			continue
		case '{':
			depth++
		case '}':
			if depth == 0 {
				p.advance(1)
				return nil
			}
			depth--
		}
		p.advance(1)
	}
	return p.errorf("a ${ … } sequence is not closed")
}

// heredoc skips a <<ID or <<-ID heredoc up to and including its closing line.
func (p *parser) heredoc() error {
	line := p.line
	p.advance(2)
	if p.peek(0) == '-' {
		p.advance(1)
	}
	id := p.ident()
	for !p.eof() && p.peek(0) != '\n' {
		p.advance(1)
	}
	for !p.eof() {
		p.advance(1) // the newline
		lineStart := p.pos
		for !p.eof() && p.peek(0) != '\n' {
			p.advance(1)
		}
		if strings.TrimSpace(string(p.src[lineStart:p.pos])) == id {
			return nil
		}
	}
	p.line = line
	return p.errorf("the heredoc <<%s is not closed", id)
}

// stringValue is the text of a quoted string (interpolations kept as written) or heredoc; any
// other expression is returned as written, on one line.
func stringValue(expr string) string {
	expr = strings.TrimSpace(expr)
	if s, ok := heredocText(expr); ok {
		return s
	}
	if s, ok := literalString(expr); ok {
		return s
	}
	return oneLine(expr)
}

// literalString unquotes an expression that is one quoted string, keeping its ${…} and %{…}
// sequences as written.
func literalString(expr string) (string, bool) {
	if len(expr) < 2 || expr[0] != '"' || expr[len(expr)-1] != '"' {
		return "", false
	}
	in := expr[1 : len(expr)-1]
	var b strings.Builder
	for i := 0; i < len(in); i++ {
		c := in[i]
		switch {
		case c == '"':
			return "", false // more than one string, e.g. "a" == "b"
		case c == '\\' && i+1 < len(in):
			i++
			switch in[i] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '"', '\\':
				b.WriteByte(in[i])
			case 'u', 'U':
				n := 4
				if in[i] == 'U' {
					n = 8
				}
				if i+n >= len(in) {
					return "", false
				}
				r, err := strconv.ParseUint(in[i+1:i+1+n], 16, 32)
				if err != nil {
					return "", false
				}
				b.WriteRune(rune(r))
				i += n
			default:
				return "", false
			}
		case (c == '$' || c == '%') && strings.HasPrefix(in[i+1:], string(c)+"{"):
			b.WriteString(string(c) + "{")
			i += 2
		case (c == '$' || c == '%') && strings.HasPrefix(in[i+1:], "{"):
			// An interpolation or directive: kept as written.
			p := &parser{src: []byte(in), pos: i + 2}
			if err := p.template(); err != nil {
				return "", false
			}
			b.WriteString(in[i:p.pos])
			i = p.pos - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// heredocText is the content of an expression that is exactly one heredoc.
func heredocText(expr string) (string, bool) {
	if !strings.HasPrefix(expr, "<<") {
		return "", false
	}
	header, rest, ok := strings.Cut(expr, "\n")
	if !ok {
		return "", false
	}
	indent := strings.HasPrefix(header, "<<-")
	id := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(header, "<<"), "-"))
	lines := strings.Split(rest, "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[len(lines)-1]) != id {
		return "", false
	}
	lines = lines[:len(lines)-1]
	if indent {
		common := -1
		for _, l := range lines {
			if strings.TrimSpace(l) == "" {
				continue
			}
			n := len(l) - len(strings.TrimLeft(l, " \t"))
			if common < 0 || n < common {
				common = n
			}
		}
		for i, l := range lines {
			if len(l) >= common && common > 0 {
				lines[i] = l[common:]
			}
		}
	}
	return strings.Join(lines, "\n"), true
}

// oneLine renders an expression's source text on one line: comments dropped, a line break
// between elements of a collection or attributes of an object written as ", ", heredocs as quoted
// strings, runs of blanks as one space.
func oneLine(expr string) string {
	var out []byte
	src := []byte(strings.TrimSpace(expr))
	lastNonSpace := func() byte {
		for i := len(out) - 1; i >= 0; i-- {
			if out[i] != ' ' {
				return out[i]
			}
		}
		return 0
	}
	trimRight := func() {
		for len(out) > 0 && out[len(out)-1] == ' ' {
			out = out[:len(out)-1]
		}
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '"':
			p := &parser{src: src, pos: i}
			if _, err := p.quoted(); err != nil {
				return strings.Join(strings.Fields(expr), " ")
			}
			out = append(out, src[i:p.pos]...)
			i = p.pos
		case c == '<' && i+2 < len(src) && src[i+1] == '<' && (src[i+2] == '-' || isIdentByte(src[i+2], true)):
			p := &parser{src: src, pos: i}
			if err := p.heredoc(); err != nil {
				return strings.Join(strings.Fields(expr), " ")
			}
			text, _ := heredocText(string(src[i:p.pos]))
			out = append(out, strconv.Quote(text)...)
			i = p.pos
		case c == '#' || (c == '/' && i+1 < len(src) && src[i+1] == '/'):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				i = len(src)
			} else {
				i += end + 4
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			j, newline := i, false
			for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r' || src[j] == '\n' ||
				src[j] == '#' || (src[j] == '/' && j+1 < len(src) && src[j+1] == '/')) {
				if src[j] == '#' || src[j] == '/' {
					for j < len(src) && src[j] != '\n' {
						j++
					}
					continue
				}
				newline = newline || src[j] == '\n'
				j++
			}
			next := byte(0)
			if j < len(src) {
				next = src[j]
			}
			prev := lastNonSpace()
			trimRight()
			switch {
			case !newline:
				out = append(out, ' ')
			case next == '}' || next == ']' || next == ')':
				if prev == ',' {
					out = out[:len(out)-1]
				}
				if next == '}' && prev != '{' {
					out = append(out, ' ')
				}
			case prev == '{':
				out = append(out, ' ')
			case prev == '[' || prev == '(':
			case prev == ',':
				out = append(out, ' ')
			default:
				out = append(out, ", "...)
			}
			i = j
		default:
			out = append(out, c)
			i++
		}
	}
	return strings.TrimSpace(string(out))
}

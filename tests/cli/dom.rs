//! A small HTML reader for checking the structure of the pages dayone writes: elements, their
//! attributes and text, with every tag balanced. It reads the HTML that dayone and
//! pulldown-cmark write (quoted attributes, every non-void element closed); anything else
//! fails the test that reads it, which is the point.

#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

const VOID: [&str; 9] = [
    "area", "br", "col", "hr", "img", "input", "link", "meta", "wbr",
];
/// Elements whose content is text up to their closing tag.
const RAW: [&str; 2] = ["script", "style"];

/// Read a whole page; panics naming the place where a tag does not balance.
pub fn parse(html: &str) -> Element {
    let mut stack = vec![Element {
        name: "#document".into(),
        attrs: Vec::new(),
        children: Vec::new(),
    }];
    let mut rest = html;
    while !rest.is_empty() {
        let at = html.len() - rest.len();
        let Some(open) = rest.find('<') else {
            push_text(&mut stack, rest);
            break;
        };
        push_text(&mut stack, &rest[..open]);
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").expect("comment closed");
            rest = &after[end + 3..];
        } else if rest.starts_with("<!") {
            rest = &rest[rest.find('>').expect("declaration closed") + 1..];
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').expect("end tag closed");
            let name = after[..end].trim().to_ascii_lowercase();
            let element = stack.pop().expect("an open element");
            assert_eq!(
                element.name, name,
                "</{name}> at byte {at} closes <{}>",
                element.name
            );
            stack
                .last_mut()
                .unwrap()
                .children
                .push(Node::Element(element));
            rest = &after[end + 1..];
        } else {
            let (element, self_closed, after) = start_tag(rest);
            rest = after;
            if RAW.contains(&element.name.as_str()) {
                let close = format!("</{}>", element.name);
                let end = rest.find(&close).expect("raw text element closed");
                let mut element = element;
                element.children.push(Node::Text(rest[..end].to_string()));
                stack
                    .last_mut()
                    .unwrap()
                    .children
                    .push(Node::Element(element));
                rest = &rest[end + close.len()..];
            } else if self_closed || VOID.contains(&element.name.as_str()) {
                stack
                    .last_mut()
                    .unwrap()
                    .children
                    .push(Node::Element(element));
            } else {
                stack.push(element);
            }
        }
    }
    assert_eq!(
        stack.len(),
        1,
        "unclosed: {:?}",
        stack.iter().map(|e| &e.name).collect::<Vec<_>>()
    );
    stack.pop().unwrap()
}

fn push_text(stack: &mut [Element], text: &str) {
    if !text.is_empty() {
        stack
            .last_mut()
            .unwrap()
            .children
            .push(Node::Text(decode(text)));
    }
}

/// `<name a="b" c>` at the start of `text`: the element, whether it ended in `/>`, the rest.
fn start_tag(text: &str) -> (Element, bool, &str) {
    let body_end = text.find('>').expect("start tag closed");
    let body = &text[1..body_end];
    let (body, self_closed) = match body.strip_suffix('/') {
        Some(b) => (b, true),
        None => (body, false),
    };
    let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
    let mut element = Element {
        name: body[..name_end].to_ascii_lowercase(),
        attrs: Vec::new(),
        children: Vec::new(),
    };
    let mut rest = body[name_end..].trim_start();
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = rest[..end].to_ascii_lowercase();
        rest = rest[end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let quote = after.chars().next().expect("attribute value");
            assert!(quote == '"' || quote == '\'', "unquoted value for {name}");
            let close = after[1..].find(quote).expect("value closed") + 1;
            rest = after[close + 1..].trim_start();
            decode(&after[1..close])
        } else {
            String::new()
        };
        element.attrs.push((name, value));
    }
    (element, self_closed, &text[body_end + 1..])
}

fn decode(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e < 10);
        let entity = end.map(|e| &rest[1..e]);
        let decoded = match entity {
            Some("amp") => Some('&'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("quot") => Some('"'),
            Some(e) if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    }

    /// All text inside, tags removed.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .map(|child| match child {
                Node::Text(t) => t.clone(),
                Node::Element(e) => e.text(),
            })
            .collect()
    }

    /// The element children, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Every element below this one, in document order.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        for e in self.elements() {
            out.push(e);
            out.extend(e.descendants());
        }
        out
    }

    /// Elements below this one matching `tag`, `.class`, `tag.class` or `tag.a.b`.
    pub fn find(&self, selector: &str) -> Vec<&Element> {
        let mut parts = selector.split('.');
        let tag = parts.next().unwrap_or("");
        let classes: Vec<&str> = parts.collect();
        self.descendants()
            .into_iter()
            .filter(|e| tag.is_empty() || e.name == tag)
            .filter(|e| classes.iter().all(|c| e.has_class(c)))
            .collect()
    }

    /// The one element matching `selector`; panics if there is not exactly one.
    pub fn one(&self, selector: &str) -> &Element {
        let found = self.find(selector);
        assert_eq!(
            found.len(),
            1,
            "expected one `{selector}`, found {}",
            found.len()
        );
        found[0]
    }
}

#[test]
fn the_reader_balances_tags_and_decodes_text() {
    let doc = parse(
        "<!DOCTYPE html><p class=\"a b\">x &lt;y&gt; <img src=\"s\"><br/><code>&amp;</code></p><style>a<b</style>",
    );
    let p = doc.one("p.a.b");
    assert_eq!(p.text(), "x <y> &");
    assert_eq!(doc.one("img").attr("src"), Some("s"));
    assert_eq!(doc.one("style").text(), "a<b");
}

#[test]
#[should_panic(expected = "closes <b>")]
fn the_reader_refuses_crossed_tags() {
    parse("<i><b></i></b>");
}

//! The zlib framing git's loose objects need, without compressing: a zlib stream (RFC 1950)
//! of stored deflate blocks (RFC 1951, type 00), written as the bytes come, so an object of any
//! size goes to disk in pieces. git reads it like any other and compresses it on its first gc.

use std::io::{self, Read, Write};

const MAX_BLOCK: usize = 65_535;

/// Writes a zlib stream of stored blocks to `out`; [`Stored::finish`] ends it.
pub struct Stored<W: Write> {
    out: W,
    adler: Adler32,
}

impl<W: Write> Stored<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        // CMF 0x78 (deflate, 32 KiB window), FLG 0x01 (no dictionary; header % 31 == 0).
        out.write_all(&[0x78, 0x01])?;
        Ok(Self {
            out,
            adler: Adler32::default(),
        })
    }

    /// Write `data` as blocks that are not the last.
    pub fn write(&mut self, data: &[u8]) -> io::Result<()> {
        for block in data.chunks(MAX_BLOCK) {
            let len = block.len() as u16;
            self.out.write_all(&[0x00])?;
            self.out.write_all(&len.to_le_bytes())?;
            self.out.write_all(&(!len).to_le_bytes())?;
            self.out.write_all(block)?;
            self.adler.update(block);
        }
        Ok(())
    }

    /// An empty final block, then the checksum; returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&[0x01, 0x00, 0x00, 0xff, 0xff])?;
        self.out.write_all(&self.adler.value().to_be_bytes())?;
        Ok(self.out)
    }
}

/// What reading a loose object's zlib stream back without inflating it can tell.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Stored blocks to the end, and the checksum matches: every byte was given to `each`.
    Complete,
    /// Cut short, or not a zlib stream at all.
    Broken,
    /// Compressed blocks (git's own writing, which is never cut short): not read further.
    Compressed,
}

/// Read a zlib stream from `input`, giving the data of its stored blocks to `each`.
pub fn read_stored(mut input: impl Read, mut each: impl FnMut(&[u8])) -> io::Result<Verdict> {
    let mut header = [0u8; 2];
    if !read_all(&mut input, &mut header)? {
        return Ok(Verdict::Broken);
    }
    let (cmf, flg) = (header[0], header[1]);
    if cmf & 0x0f != 8 || (u16::from(cmf) * 256 + u16::from(flg)) % 31 != 0 {
        return Ok(Verdict::Broken);
    }
    if flg & 0x20 != 0 {
        return Ok(Verdict::Compressed);
    }
    let mut adler = Adler32::default();
    let mut block = vec![0u8; MAX_BLOCK];
    loop {
        let mut head = [0u8; 5];
        if !read_all(&mut input, &mut head[..1])? {
            return Ok(Verdict::Broken);
        }
        if (head[0] >> 1) & 0b11 != 0 {
            return Ok(Verdict::Compressed);
        }
        if !read_all(&mut input, &mut head[1..])? {
            return Ok(Verdict::Broken);
        }
        let len = u16::from_le_bytes([head[1], head[2]]);
        if u16::from_le_bytes([head[3], head[4]]) != !len {
            return Ok(Verdict::Broken);
        }
        let data = &mut block[..usize::from(len)];
        if !read_all(&mut input, data)? {
            return Ok(Verdict::Broken);
        }
        adler.update(data);
        each(data);
        if head[0] & 1 == 1 {
            let mut sum = [0u8; 4];
            let whole = read_all(&mut input, &mut sum)? && u32::from_be_bytes(sum) == adler.value();
            return Ok(if whole {
                Verdict::Complete
            } else {
                Verdict::Broken
            });
        }
    }
}

/// Fill `buf`, or `false` when the input ends first.
fn read_all(input: &mut impl Read, buf: &mut [u8]) -> io::Result<bool> {
    match input.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(err) => Err(err),
    }
}

/// Adler-32 (RFC 1950), fed in pieces.
struct Adler32 {
    a: u32,
    b: u32,
}

impl Default for Adler32 {
    fn default() -> Self {
        Self { a: 1, b: 0 }
    }
}

impl Adler32 {
    fn update(&mut self, data: &[u8]) {
        const MOD: u32 = 65_521;
        // 5552 is the longest run whose sums cannot overflow a u32 before the modulo.
        for chunk in data.chunks(5552) {
            for &byte in chunk {
                self.a += u32::from(byte);
                self.b += self.a;
            }
            self.a %= MOD;
            self.b %= MOD;
        }
    }

    fn value(&self) -> u32 {
        (self.b << 16) | self.a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_of_known_text_in_any_pieces() {
        let mut whole = Adler32::default();
        whole.update(b"Wikipedia");
        assert_eq!(whole.value(), 0x11E6_0398);
        let mut pieces = Adler32::default();
        pieces.update(b"Wiki");
        pieces.update(b"pedia");
        assert_eq!(pieces.value(), 0x11E6_0398);
        assert_eq!(Adler32::default().value(), 1);
    }

    #[test]
    fn streams_git_reads_back() {
        // A stream of more than one block, read back with git's own zlib via `git cat-file`
        // in the object store tests; here the framing itself: header, blocks, final, checksum.
        let data = vec![7u8; MAX_BLOCK + 10];
        let mut stream = Stored::new(Vec::new()).unwrap();
        stream.write(&data).unwrap();
        let out = stream.finish().unwrap();
        assert_eq!(&out[..2], &[0x78, 0x01]);
        assert_eq!(out.len(), 2 + (5 + MAX_BLOCK) + (5 + 10) + 5 + 4);
        assert_eq!(&out[2..5], &[0x00, 0xff, 0xff]);
    }

    #[test]
    fn a_stream_reads_back_whole_and_a_cut_one_does_not() {
        let data: Vec<u8> = (0..MAX_BLOCK + 10).map(|i| (i % 7) as u8).collect();
        let mut stream = Stored::new(Vec::new()).unwrap();
        stream.write(&data).unwrap();
        let out = stream.finish().unwrap();
        let mut back = Vec::new();
        let verdict = read_stored(&out[..], |piece| back.extend_from_slice(piece)).unwrap();
        assert_eq!((verdict, back), (Verdict::Complete, data));
        for cut in [0, 1, 2, 3, 7, out.len() / 2, out.len() - 1] {
            assert_eq!(
                read_stored(&out[..cut], |_| ()).unwrap(),
                Verdict::Broken,
                "{cut}"
            );
        }
        let mut wrong = out.clone();
        *wrong.last_mut().unwrap() ^= 1;
        assert_eq!(read_stored(&wrong[..], |_| ()).unwrap(), Verdict::Broken);
        // A fixed-Huffman block (type 01), as zlib writes small objects: not read further.
        assert_eq!(
            read_stored(&[0x78, 0x9c, 0x03, 0x00][..], |_| ()).unwrap(),
            Verdict::Compressed
        );
    }
}

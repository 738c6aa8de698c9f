//! Client pages kept deflated in `serve`'s memory: at 36,000 clients they
//! are most of the site, and HTML deflates to about a tenth. A request
//! inflates the one page it asks for (well under a millisecond); the pages
//! that change after an edit are compared in their deflated form, which is
//! the same for the same page.

use bytes::Bytes;

/// Whether a site path is stored deflated: the client pages,
/// `clients/<id>.html` (not a client's documents).
pub(super) fn is_packed(path: &str) -> bool {
    path.strip_prefix("clients/")
        .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".html"))
}

/// Tags of the stored form.
const RAW: u8 = 0;
const DEFLATED: u8 = 1;

/// `bytes` deflated, after a tag and the length it inflates to; as they
/// are (tagged) when deflating does not pay or cannot be done.
pub(super) fn pack(bytes: &[u8]) -> Bytes {
    let Ok(len) = u32::try_from(bytes.len()) else {
        return raw(bytes);
    };
    let mut out = vec![0u8; 5 + zlib_rs::compress_bound(bytes.len())];
    let (deflated, code) =
        zlib_rs::compress_slice(&mut out[5..], bytes, zlib_rs::DeflateConfig::new(FAST));
    let n = deflated.len();
    if code != zlib_rs::ReturnCode::Ok || n >= bytes.len() {
        return raw(bytes);
    }
    out[0] = DEFLATED;
    out[1..5].copy_from_slice(&len.to_le_bytes());
    // Copied into a buffer of its size: `Bytes` keeps a vector's whole
    // capacity, and the bound is the size of the page itself.
    Bytes::copy_from_slice(&out[..5 + n])
}

/// zlib's fastest level: a client page deflates in well under a
/// millisecond, and to about a tenth.
const FAST: i32 = 1;

fn raw(bytes: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(bytes.len() + 1);
    out.push(RAW);
    out.extend_from_slice(bytes);
    Bytes::from(out)
}

/// A file of the site as it is served: a client page inflated, anything
/// else as it is (a cheap clone); `None` for a page that does not inflate.
pub(super) fn as_served(path: &str, stored: &Bytes) -> Option<Bytes> {
    if is_packed(path) {
        unpack(stored).map(Bytes::from)
    } else {
        Some(stored.clone())
    }
}

/// What [`pack`] was given; `None` for bytes it did not make.
pub(super) fn unpack(stored: &[u8]) -> Option<Vec<u8>> {
    match stored.split_first()? {
        (&RAW, rest) => Some(rest.to_vec()),
        (&DEFLATED, rest) => {
            let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
            let mut out = vec![0u8; len];
            let (inflated, code) =
                zlib_rs::decompress_slice(&mut out, &rest[4..], zlib_rs::InflateConfig::default());
            (code == zlib_rs::ReturnCode::Ok && inflated.len() == len).then_some(out)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_come_back_as_they_went_in() {
        let page = "<!DOCTYPE html><p>Acme</p>".repeat(200);
        let packed = pack(page.as_bytes());
        assert!(packed.len() < page.len() / 10);
        assert_eq!(unpack(&packed).as_deref(), Some(page.as_bytes()));
        // Too short to gain: kept as it is.
        assert_eq!(unpack(&pack(b"<p>")).as_deref(), Some(&b"<p>"[..]));
        assert_eq!(unpack(&pack(b"")).as_deref(), Some(&b""[..]));
        assert_eq!(unpack(b""), None);
        assert_eq!(unpack(&[1, 9, 0, 0, 0, 1, 2]), None);
    }

    #[test]
    fn only_client_pages_are_packed() {
        assert!(is_packed("clients/acme.html"));
        assert!(!is_packed("clients/acme/documents/price-list.html"));
        assert!(!is_packed("clients.html"));
        assert!(!is_packed("people/ada.html"));
    }
}

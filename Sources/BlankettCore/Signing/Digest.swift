import Crypto

/// SHA-256 as lowercase hex, the one way the project writes digests
/// (snapshots, form files, session tokens).
public enum Digest {
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        Hex.encode(SHA256.hash(data: Array(bytes)))
    }
}

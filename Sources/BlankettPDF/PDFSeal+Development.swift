import Crypto
import Foundation
import SwiftASN1
import X509

extension PDFSeal {
    /// A local certificate authority and a seal certificate it issued, for
    /// development and tests; in production the kommun's e-sigill from a
    /// qualified provider takes its place. P-256 keys.
    public struct DevelopmentFiles: Sendable {
        /// The authority's certificate: the trust anchor a verifier is given.
        public let authorityPEM: String
        /// The seal certificate, then the authority's (the chain to embed).
        public let certificatesPEM: String
        public let privateKeyPEM: String
    }

    public static func development(organisation: String, now: Date) throws(PDFError) -> DevelopmentFiles {
        do {
            let authorityKey = P256.Signing.PrivateKey()
            let authorityName = try DistinguishedName {
                CountryName("SE")
                OrganizationName(organisation)
                CommonName("Blankett utvecklings-CA (inte för produktion)")
            }
            let authority = try Certificate(
                version: .v3, serialNumber: serialNumber(), publicKey: .init(authorityKey.publicKey),
                notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86_400),
                issuer: authorityName, subject: authorityName, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: .init(authorityKey.publicKey))
                },
                issuerPrivateKey: .init(authorityKey)
            )
            let sealKey = P256.Signing.PrivateKey()
            let seal = try Certificate(
                version: .v3, serialNumber: serialNumber(), publicKey: .init(sealKey.publicKey),
                notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(5 * 365 * 86_400),
                issuer: authorityName,
                subject: try DistinguishedName {
                    CountryName("SE")
                    OrganizationName(organisation)
                    CommonName("\(organisation) utvecklingssigill")
                },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true, nonRepudiation: true))
                    AuthorityKeyIdentifier(keyIdentifier: try authority.extensions.subjectKeyIdentifier?.keyIdentifier)
                },
                issuerPrivateKey: .init(authorityKey)
            )
            let authorityPEM = try authority.serializeAsPEM().pemString
            return DevelopmentFiles(
                authorityPEM: authorityPEM + "\n",
                certificatesPEM: try seal.serializeAsPEM().pemString + "\n" + authorityPEM + "\n",
                privateKeyPEM: sealKey.pemRepresentation + "\n"
            )
        } catch {
            throw PDFError(.signing, detail: "the development certificates could not be made: \(error)")
        }
    }

    /// 16 random bytes, positive. `Certificate.SerialNumber()` draws 20, which
    /// becomes 21 octets with the sign byte half the time: more than RFC 5280
    /// allows, and NSS (poppler's pdfsig) then fails to find the signer.
    private static func serialNumber() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = bytes[0] & 0x7F | 0x40
        return Certificate.SerialNumber(bytes: bytes[...])
    }
}

import Crypto
import Foundation
import SwiftASN1
import _CryptoExtras
@_spi(CMS) import X509

/// The organisation's seal (e-sigill): the certificate PAdES signatures in
/// the PDF are made with, the chain up to its root (embedded, so a reader can
/// build the path without fetching anything) and the private key.
public struct PDFSeal: Sendable {
    public let certificate: Certificate
    /// Intermediates and root, in the order the PEM file lists them.
    public let chain: [Certificate]
    private let key: Key

    private enum Key: Sendable {
        case p256(P256.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
    }

    /// `certificatesPEM`: the seal certificate first, then its chain.
    /// `privateKeyPEM`: its P-256 or RSA key (PKCS #8, SEC 1 or PKCS #1).
    public init(certificatesPEM: String, privateKeyPEM: String) throws(PDFError) {
        let certificates: [Certificate]
        do {
            certificates = try PEMDocument.parseMultiple(pemString: certificatesPEM).map { try Certificate(pemDocument: $0) }
        } catch {
            throw PDFError(.signing, detail: "the seal certificate file is not PEM certificates: \(error)")
        }
        guard let leaf = certificates.first else { throw PDFError(.signing, detail: "the seal certificate file holds no certificate") }
        if let p256 = try? P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM) {
            key = .p256(p256)
        } else if let rsa = try? _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM) {
            key = .rsa(rsa)
        } else {
            throw PDFError(.signing, detail: "the seal key is not a PEM P-256 or RSA private key")
        }
        certificate = leaf
        chain = Array(certificates.dropFirst())
        guard certificatePrivateKey.publicKey == leaf.publicKey else {
            throw PDFError(.signing, detail: "the seal key does not belong to the seal certificate")
        }
    }

    /// Who the seal names: the certificate's subject.
    public var subject: String { certificate.subject.description }

    private var certificatePrivateKey: Certificate.PrivateKey {
        switch key {
        case .p256(let key): Certificate.PrivateKey(key)
        case .rsa(let key): Certificate.PrivateKey(key)
        }
    }

    private var signatureAlgorithm: Certificate.SignatureAlgorithm {
        switch key {
        case .p256: .ecdsaWithSHA256
        case .rsa: .sha256WithRSAEncryption
        }
    }

    private func rawSignature(over bytes: [UInt8]) throws -> [UInt8] {
        switch key {
        case .p256(let key): Array(try key.signature(for: bytes).derRepresentation)
        case .rsa(let key): Array(try key.signature(for: bytes, padding: .insecurePKCS1v1_5).rawRepresentation)
        }
    }

    /// A detached CMS `SignedData` over `content` with the signed attributes
    /// PAdES baseline B-B asks for (ETSI EN 319 142-1 §5.3, EN 319 122-1 §5.2):
    /// content-type, message-digest and signing-certificate-v2 — and no
    /// signing-time, which PAdES takes from the signature dictionary's /M.
    ///
    /// swift-certificates writes the `SignedData` but offers no way to add a
    /// signed attribute, so its output is taken apart with swift-asn1: its
    /// content-type and message-digest attributes are kept as written, the
    /// signing-certificate-v2 attribute is serialized here, and the attribute
    /// set is signed again.
    func cmsSignature(over content: [UInt8]) throws(PDFError) -> [UInt8] {
        do {
            let written = try CMS.sign(content, signatureAlgorithm: signatureAlgorithm, additionalIntermediateCertificates: chain,
                                       certificate: certificate, privateKey: certificatePrivateKey,
                                       signingTime: Date(timeIntervalSince1970: 0), detached: true)
            return try replacingSignedAttributes(in: written)
        } catch let error as PDFError {
            throw error
        } catch {
            throw PDFError(.signing, detail: "CMS signing failed: \(error)")
        }
    }

    /// id-contentType and id-messageDigest (RFC 5652 §11).
    private static let contentType: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 3]
    private static let messageDigest: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 4]
    /// id-aa-signingCertificateV2 (RFC 5035).
    private static let signingCertificateV2: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 16, 2, 47]

    private func replacingSignedAttributes(in written: [UInt8]) throws -> [UInt8] {
        // ContentInfo { contentType, [0] SignedData { version, digestAlgorithms,
        // encapContentInfo, [0] certificates, signerInfos { SignerInfo } } }
        let contentInfo = try DER.parse(written)
        let contentInfoParts = try Self.children(contentInfo, count: 2)
        let signedData = try Self.children(contentInfoParts[1], count: 1)[0]
        let signedDataParts = try Self.children(signedData, count: 5)
        let signerInfo = try Self.children(signedDataParts[4], count: 1)[0]
        // SignerInfo { version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature }
        let signerParts = try Self.children(signerInfo, count: 6)
        var attributes: [[UInt8]] = []
        for attribute in try Self.children(signerParts[3], count: nil) {
            let type = try ASN1ObjectIdentifier(derEncoded: Self.children(attribute, count: 2)[0])
            if type == Self.contentType || type == Self.messageDigest { attributes.append(Array(attribute.encodedBytes)) }
        }
        guard attributes.count == 2 else { throw PDFError(.signing, detail: "the CMS lacks content-type or message-digest") }
        attributes.append(try signingCertificateAttribute())
        // DER orders a SET OF by the elements' encodings.
        attributes.sort { $0.lexicographicallyPrecedes($1) }
        var set = DER.Serializer()
        set.appendConstructedNode(identifier: .set) { coder in
            for attribute in attributes { coder.serializeRawBytes(attribute) }
        }
        let signature = try rawSignature(over: set.serializedBytes)

        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: contentInfo.identifier) { coder in
            coder.serialize(contentInfoParts[0])
            try coder.appendConstructedNode(identifier: contentInfoParts[1].identifier) { coder in
                try coder.appendConstructedNode(identifier: signedData.identifier) { coder in
                    for part in signedDataParts.prefix(4) { coder.serialize(part) }
                    try coder.appendConstructedNode(identifier: signedDataParts[4].identifier) { coder in
                        try coder.appendConstructedNode(identifier: signerInfo.identifier) { coder in
                            for part in signerParts.prefix(3) { coder.serialize(part) }
                            // The same SET, implicitly tagged [0].
                            coder.appendConstructedNode(identifier: signerParts[3].identifier) { coder in
                                for attribute in attributes { coder.serializeRawBytes(attribute) }
                            }
                            coder.serialize(signerParts[4])
                            try coder.serialize(ASN1OctetString(contentBytes: signature[...]))
                        }
                    }
                }
            }
        }
        return coder.serializedBytes
    }

    /// signing-certificate-v2 naming the seal certificate by its SHA-256 and
    /// its issuer and serial number (ESSCertIDv2, hash algorithm left at its
    /// default, SHA-256).
    private func signingCertificateAttribute() throws -> [UInt8] {
        var leaf = DER.Serializer()
        try leaf.serialize(certificate)
        let hash = Array(SHA256.hash(data: leaf.serializedBytes))
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(Self.signingCertificateV2)
            try coder.appendConstructedNode(identifier: .set) { coder in
                try coder.appendConstructedNode(identifier: .sequence) { coder in          // SigningCertificateV2
                    try coder.appendConstructedNode(identifier: .sequence) { coder in      // certs
                        try coder.appendConstructedNode(identifier: .sequence) { coder in  // ESSCertIDv2
                            try coder.serialize(ASN1OctetString(contentBytes: hash[...]))
                            try coder.appendConstructedNode(identifier: .sequence) { coder in  // IssuerSerial
                                try coder.appendConstructedNode(identifier: .sequence) { coder in  // GeneralNames
                                    try coder.serialize(GeneralName.directoryName(certificate.issuer))
                                }
                                coder.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: certificate.serialNumber.bytes) }
                            }
                        }
                    }
                }
            }
        }
        return coder.serializedBytes
    }

    private static func children(_ node: ASN1Node, count: Int?) throws -> [ASN1Node] {
        guard case .constructed(let collection) = node.content else {
            throw PDFError(.signing, detail: "unexpected primitive node in the CMS")
        }
        let nodes = Array(collection)
        if let count, nodes.count != count {
            throw PDFError(.signing, detail: "unexpected CMS structure (\(nodes.count) parts where \(count) were expected)")
        }
        return nodes
    }
}

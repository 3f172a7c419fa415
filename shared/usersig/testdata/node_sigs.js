// Writes UserSigs made by Tencent's Node library tls-sig-api-v2 (npm) as test fixtures:
//   npm install tls-sig-api-v2@1.0.2 && node node_sigs.js > node_sigs.json
const TLSSigAPIv2 = require('tls-sig-api-v2');
const zlib = require('zlib');
const api = new TLSSigAPIv2.Api(1400000000, 'node-library-key');
const unescape = s => s.replace(/_/g, '=').replace(/\-/g, '/').replace(/\*/g, '+');
const out = [];
for (const [kind, make] of [
  ['genUserSig administrator', () => api.genUserSig('administrator', 86400)],
  ['genUserSig UserID_001', () => api.genUserSig('UserID_001', 604800)],
  ['genUserSig 32-byte identifier', () => api.genUserSig('abcdefghijklmnopqrstuvwxyz012345', 180)],
  ['genPrivateMapKey', () => api.genPrivateMapKey('administrator', 300, 10000, 255)],
  ['genPrivateMapKeyWithStringRoomID', () => api.genPrivateMapKeyWithStringRoomID('administrator', 300, 'room-1', 42)],
]) {
  const sig = make();
  const doc = JSON.parse(zlib.inflateSync(Buffer.from(unescape(sig), 'base64')).toString());
  out.push({kind, identifier: doc['TLS.identifier'], time: doc['TLS.time'], expire: doc['TLS.expire'], sig});
}
console.log(JSON.stringify({library: 'tls-sig-api-v2@' + require('tls-sig-api-v2/package.json').version, sdkappid: 1400000000, key: 'node-library-key', sigs: out}, null, 2));

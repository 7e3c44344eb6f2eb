import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual, createHash } from 'node:crypto';

export interface ReporterIdentity {
  name?: string;
  contact?: string;
  realName: boolean;
}

/**
 * Seals the reporter's identity at rest with SM4-CBC and authenticates it with HMAC-SM3
 * (encrypt-then-MAC): the database alone never reveals who reported (ARCHITECTURE §6).
 */
export class ReporterSealer {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 16) throw new Error('the SM4 reporter key must be 16 bytes');
    // Separate keys for encryption and MAC, derived from the one configured key.
    this.encKey = createHash('sm3').update(Buffer.concat([key, Buffer.from('enc')])).digest().subarray(0, 16);
    this.macKey = createHash('sm3').update(Buffer.concat([key, Buffer.from('mac')])).digest();
  }

  seal(identity: ReporterIdentity): string {
    const iv = randomBytes(16);
    const cipher = createCipheriv('sm4-cbc', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()]);
    const mac = createHmac('sm3', this.macKey).update(iv).update(ct).digest();
    return Buffer.concat([iv, ct, mac]).toString('base64');
  }

  unseal(sealed: string): ReporterIdentity {
    const buf = Buffer.from(sealed, 'base64');
    if (buf.length < 16 + 16 + 32) throw new Error('sealed reporter record is truncated');
    const iv = buf.subarray(0, 16);
    const mac = buf.subarray(buf.length - 32);
    const ct = buf.subarray(16, buf.length - 32);
    const expected = createHmac('sm3', this.macKey).update(iv).update(ct).digest();
    if (!timingSafeEqual(mac, expected)) throw new Error('sealed reporter record fails its integrity check');
    const decipher = createDecipheriv('sm4-cbc', this.encKey, iv);
    const plain = Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as ReporterIdentity;
  }
}

// One S3 object written as it is produced: bytes gathered into parts, each part uploaded as soon as it is full with a
// few in flight, completed at the end; a small object is one PutObject. Nothing is visible until it completes.
import { Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

export interface MultipartTarget {
  Bucket: string;
  Key: string;
  ContentType: string;
}

/**
 * A Writable whose bytes become one S3 object. S3 wants parts of at least 5 MB but the last; the part size is the
 * caller's (tests use small ones against the local S3, which does not check). Memory held: the part being filled
 * and up to `partsInFlight` parts uploading. `final` completes the upload; `abort()` gives it up, so an object
 * written before stays as it was.
 */
export class MultipartObject extends Writable {
  private readonly s3: Pick<S3Client, 'send'>;
  private readonly target: MultipartTarget;
  private readonly partSize: number;
  private readonly partsInFlight: number;
  private filling: Buffer[] = [];
  private filled = 0;
  private uploadId: Promise<string> | undefined;
  private readonly parts: CompletedPart[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** The first part that failed (after the SDK's own retries): it fails the write or the end that follows. */
  private failure: unknown;

  constructor(
    s3: Pick<S3Client, 'send'>,
    target: MultipartTarget,
    options: { partSize: number; partsInFlight: number },
  ) {
    super();
    this.s3 = s3;
    this.target = target;
    this.partSize = options.partSize;
    this.partsInFlight = options.partsInFlight;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.filling.push(chunk);
    this.filled += chunk.length;
    if (this.filled < this.partSize) {
      done();
      return;
    }
    this.sendPart().then(() => done(), done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.complete().then(() => done(), done);
  }

  /** Gives the object up: parts sent are discarded and nothing replaces what the key held. */
  async abort(): Promise<void> {
    this.destroy();
    await Promise.allSettled(this.inFlight);
    const id = await this.uploadId?.catch(() => undefined);
    if (id)
      await this.s3
        .send(
          new AbortMultipartUploadCommand({ Bucket: this.target.Bucket, Key: this.target.Key, UploadId: id }),
        )
        .catch(() => undefined);
  }

  /** Hands the full part to an upload; waits while `partsInFlight` are already uploading. */
  private async sendPart(): Promise<void> {
    if (this.failure) throw this.failure;
    const body = Buffer.concat(this.filling, this.filled);
    this.filling = [];
    this.filled = 0;
    this.uploadId ??= this.s3
      .send(new CreateMultipartUploadCommand({ ...this.target }))
      .then((out) => out.UploadId as string);
    const uploadId = await this.uploadId;
    const PartNumber = this.parts.length + 1;
    const part: CompletedPart = { PartNumber };
    this.parts.push(part);
    const sent = this.s3
      .send(
        new UploadPartCommand({
          Bucket: this.target.Bucket,
          Key: this.target.Key,
          UploadId: uploadId,
          PartNumber,
          Body: body,
        }),
      )
      .then(
        (out) => {
          part.ETag = out.ETag as string;
        },
        (error: unknown) => {
          this.failure ??= error;
        },
      );
    const tracked: Promise<void> = sent.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    while (this.inFlight.size >= this.partsInFlight) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
  }

  private async complete(): Promise<void> {
    if (!this.uploadId) {
      // Under one part: a single PutObject, as small as the day.
      await this.s3.send(
        new PutObjectCommand({ ...this.target, Body: Buffer.concat(this.filling, this.filled) }),
      );
      return;
    }
    if (this.filled > 0) await this.sendPart();
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
    await this.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.target.Bucket,
        Key: this.target.Key,
        UploadId: await this.uploadId,
        MultipartUpload: { Parts: this.parts },
      }),
    );
  }
}

package org.livemetrics.testdata.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * s3rver 3.7.1 (npm): a real S3-compatible object store, on disk, with one bucket.
 *
 * <p>Started from a few lines of Node rather than its command line, to mend one defect: after
 * deleting an object, s3rver removes the object's directories once they are empty, which races a
 * concurrent upload into the same directory. The upload's file open then fails (ENOENT) with no
 * handler, and the whole server exits: seen when a streaming job's file sink deleted its last
 * temporary file under {@code .temp-beam/} while another writer started a new one there, after
 * which every S3 call of the job was refused. Real S3 has no directories; here they are kept
 * (listings only walk files, so empty ones are invisible).
 *
 * <p>And a second: s3rver answered a put (of an object or of a multipart upload's part) once it
 * had read the request, before its file was opened and written. A read right after the answer
 * could find the object missing or short, and a delete right after it could find nothing to
 * delete, after which the file appeared: a fresh-clone CI run was left with a temporary object
 * its writer had deleted. Here a put is answered only once its file is written and closed.
 */
public final class LocalS3 extends LocalServer {
  public static final String ACCESS_KEY = "S3RVER";
  public static final String SECRET_KEY = "S3RVER";

  private final String bucket;

  public LocalS3(String bucket) {
    super("s3rver");
    this.bucket = bucket;
  }

  @Override
  protected ProcessBuilder command(Path workDir, int port) throws java.io.IOException {
    Path module = installed("node_modules/s3rver", "s3rver");
    Path data = Files.createDirectories(workDir.resolve("data"));
    Path script = workDir.resolve("s3rver.js");
    Files.writeString(script, String.join("\n",
        "const path = require('path');",
        "const fs = require('fs');",
        "const crypto = require('crypto');",
        "const {Transform} = require('stream');",
        "const {pipeline} = require('stream/promises');",
        "const S3rver = require(" + jsString(module.toString()) + ");",
        "const FilesystemStore = require(path.join(" + jsString(module.toString())
            + ", 'lib', 'stores', 'filesystem'));",
        "// Delete an object's files, but never its directories (see LocalS3).",
        "FilesystemStore.prototype.deleteObject = async function (bucket, key) {",
        "  await Promise.all(['object', 'object.md5', 'metadata.json'].map(type =>",
        "    fs.promises.unlink(this.getResourcePath(bucket, key, type)).catch(err => {",
        "      if (err.code !== 'ENOENT') throw err;",
        "    })));",
        "};",
        "// Write content to file, resolving with its size and MD5 once the file is closed.",
        "async function writeHashed(content, file) {",
        "  await fs.promises.mkdir(path.dirname(file), {recursive: true});",
        "  const md5 = crypto.createHash('md5');",
        "  let size = 0;",
        "  const chunks = Buffer.isBuffer(content) ? [content] : content;",
        "  await pipeline(chunks, new Transform({transform(chunk, encoding, done) {",
        "    md5.update(chunk);",
        "    size += chunk.length;",
        "    done(null, chunk);",
        "  }}), fs.createWriteStream(file));",
        "  return {size, md5: md5.digest('hex')};",
        "}",
        "FilesystemStore.prototype.putObject = async function (object) {",
        "  const {size, md5} = await writeHashed(object.content,",
        "    this.getResourcePath(object.bucket, object.key, 'object'));",
        "  await this.putMetadata(object.bucket, object.key, object.metadata, md5);",
        "  return {size, md5};",
        "};",
        "FilesystemStore.prototype.putPart = async function (bucket, uploadId, partNumber, content) {",
        "  const part = path.join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId,",
        "    partNumber.toString());",
        "  const {size, md5} = await writeHashed(content, part);",
        "  await fs.promises.writeFile(part + '.md5', md5);",
        "  return {size, md5};",
        "};",
        "const server = new S3rver({address: '127.0.0.1', port: Number(process.argv[2]),",
        "  directory: process.argv[3], silent: true,",
        "  configureBuckets: [{name: process.argv[4], configs: []}]});",
        "server.run().then(({address, port}) =>",
        "  console.log('S3rver listening on ' + address + ':' + port));",
        "process.on('SIGTERM', () => server.close().then(() => process.exit(0)));",
        ""));
    return new ProcessBuilder(node(), script.toString(), String.valueOf(port), data.toString(),
        bucket);
  }

  public String bucket() {
    return bucket;
  }

  /** The pipeline options that point Beam's S3 filesystem at this server. */
  public List<String> beamArgs() {
    List<String> args = new ArrayList<>();
    args.add("--awsRegion=us-east-1");
    args.add("--endpoint=" + endpoint());
    args.add("--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
        + ACCESS_KEY + "\",\"secretAccessKey\":\"" + SECRET_KEY + "\"}");
    args.add("--s3ClientFactoryClass=org.livemetrics.pipelines.aws.S3CompatibleClientBuilderFactory");
    return args;
  }
}

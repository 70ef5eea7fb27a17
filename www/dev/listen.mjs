// One way for the development servers (static server, providers, Entra emulator, Azure DevOps
// stand-in) to start listening on loopback.

/** Listens on 127.0.0.1:`port` (0: any free port); resolves to the port bound. */
export function listen(server, port) {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePort(server.address().port);
    });
  });
}

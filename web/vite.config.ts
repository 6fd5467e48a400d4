// Vite config: React plugin, dev proxy to a local `parley serve`, and Vitest settings.
/// <reference types="vitest" />
import { defineConfig, type ProxyOptions } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server proxies the API, Socket.IO and media to the Rust server so the
// browser sees one origin (cookies, CSRF and the Origin check then just work).
const target = process.env.PARLEY_DEV_TARGET ?? 'http://127.0.0.1:8080';

// The server refuses browser requests whose Origin it does not allow; in development the
// page's origin is Vite's, so present the target's own origin instead (dev only).
const proxy: ProxyOptions = {
  target,
  changeOrigin: false,
  configure: (p) => {
    p.on('proxyReq', (req) => {
      if (req.getHeader('origin')) req.setHeader('origin', target);
    });
    p.on('proxyReqWs', (req) => {
      if (req.getHeader('origin')) req.setHeader('origin', target);
    });
  },
};

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': proxy,
      '/socket.io': { ...proxy, ws: true },
      '/media': proxy,
    },
  },
  test: {
    environment: 'jsdom',
    globals: false,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});

import { describe, it, expect } from 'vitest';
import { parentFolder, projectFromWorkspaceJson, skillFromPath, uriToPath } from './uri.js';

describe('uriToPath', () => {
  it('reads file URIs on POSIX and decodes escapes', () => {
    expect(uriToPath('file:///home/dev/my%20project')).toBe('/home/dev/my project');
  });
  it('turns Windows drive URIs into Windows paths', () => {
    expect(uriToPath('file:///c%3A/Users/dev/app')).toBe('c:\\Users\\dev\\app');
    expect(uriToPath({ $mid: 1, scheme: 'file', path: '/c:/Users/dev/app/x.ts' })).toBe('c:\\Users\\dev\\app\\x.ts');
  });
  it('keeps UNC authorities', () => {
    expect(uriToPath('file://server/share/repo')).toBe('\\\\server\\share\\repo');
  });
  it('takes the remote path of vscode-remote URIs (SSH, WSL, containers)', () => {
    expect(uriToPath('vscode-remote://ssh-remote%2Bbuildbox/srv/app')).toBe('/srv/app');
    expect(uriToPath('vscode-remote://wsl%2BUbuntu/home/dev/app')).toBe('/home/dev/app');
    expect(uriToPath({ scheme: 'vscode-remote', authority: 'dev-container+abc', path: '/workspaces/app' })).toBe('/workspaces/app');
  });
  it('unwraps {uri, range} locations', () => {
    expect(uriToPath({ uri: { scheme: 'file', path: '/a/b.ts' }, range: {} })).toBe('/a/b.ts');
  });
  it('returns undefined for other schemes and junk', () => {
    expect(uriToPath('untitled:Untitled-1')).toBeUndefined();
    expect(uriToPath('https://example.com/x')).toBeUndefined();
    expect(uriToPath({ scheme: 'vscode-userdata', path: '/x' })).toBeUndefined();
    expect(uriToPath(42)).toBeUndefined();
    expect(uriToPath(null)).toBeUndefined();
    expect(uriToPath('file:///bad%E0%A4%A')).toBe('/bad%E0%A4%A');
  });
});

describe('projectFromWorkspaceJson', () => {
  it('uses the folder URI', () => {
    expect(projectFromWorkspaceJson('{"folder":"file:///home/dev/api"}')).toEqual({ cwd: '/home/dev/api' });
  });
  it('uses the folder holding a .code-workspace file', () => {
    expect(projectFromWorkspaceJson('{"workspace":"file:///c%3A/Users/dev/work/all.code-workspace"}')).toEqual({ cwd: 'c:\\Users\\dev\\work' });
    expect(projectFromWorkspaceJson('{"workspace":{"configPath":"file:///home/dev/w/x.code-workspace"}}')).toEqual({ cwd: '/home/dev/w' });
  });
  it('handles remote folders', () => {
    expect(projectFromWorkspaceJson('{"folder":"vscode-remote://ssh-remote%2Bbox/srv/app"}')).toEqual({ cwd: '/srv/app' });
  });
  it('returns undefined for broken or empty files', () => {
    expect(projectFromWorkspaceJson('{"folder":')).toBeUndefined();
    expect(projectFromWorkspaceJson('[]')).toBeUndefined();
    expect(projectFromWorkspaceJson('{}')).toBeUndefined();
  });
});

describe('parentFolder and skillFromPath', () => {
  it('finds the parent with either separator', () => {
    expect(parentFolder('/a/b/c.txt')).toBe('/a/b');
    expect(parentFolder('c:\\x\\y.code-workspace')).toBe('c:\\x');
    expect(parentFolder('c:\\y.code-workspace')).toBe('c:\\');
    expect(parentFolder('/y')).toBe('/');
  });
  it('names the skill of a SKILL.md path only', () => {
    expect(skillFromPath('/home/dev/.copilot/skills/demo-greeter/SKILL.md')).toBe('demo-greeter');
    expect(skillFromPath('C:\\Users\\dev\\.claude\\skills\\pdf\\SKILL.md')).toBe('pdf');
    expect(skillFromPath('/home/dev/skills/pdf/README.md')).toBeUndefined();
    expect(skillFromPath(undefined)).toBeUndefined();
  });
});

// The few entry points of fengari (a Lua 5.3 VM in JS, untyped) that the interp bench uses.
declare module 'fengari' {
  type LuaState = object;
  const fengari: {
    lua: {
      LUA_OK: number;
      lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
      lua_tonumber(L: LuaState, idx: number): number;
      lua_tojsstring(L: LuaState, idx: number): string;
      lua_pop(L: LuaState, n: number): void;
      lua_pushnumber(L: LuaState, n: number): void;
      lua_pushvalue(L: LuaState, idx: number): void;
    };
    lauxlib: {
      luaL_newstate(): LuaState;
      luaL_loadstring(L: LuaState, s: Uint8Array): number;
    };
    lualib: { luaL_openlibs(L: LuaState): void };
    to_luastring(s: string): Uint8Array;
  };
  export default fengari;
}

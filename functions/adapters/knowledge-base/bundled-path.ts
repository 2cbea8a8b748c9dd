/** Where `npm run build:help` writes the knowledge base the functions bundle, from the project root. */
export const BUNDLED_KNOWLEDGE_BASE_FILE = 'functions/adapters/knowledge-base/help-articles.generated.json';
